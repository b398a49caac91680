import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Text in any charset a mail may name, turned into Swift strings through the C
/// library's `iconv` (glibc knows ISO-2022-JP, Shift_JIS, GBK, Big5, KOI8-R, the
/// Windows code pages…; Foundation on Linux does not know them all). Bytes that are
/// not valid in the charset become U+FFFD. A part labelled UTF-8 or US-ASCII, or with
/// no label (RFC 2045: US-ASCII), or with a label iconv does not know, is read as UTF-8;
/// when its bytes are not UTF-8, the whole part is read as Windows-1252 instead.
public enum Charset {
    public static func decode<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        let array = Array(bytes)
        let name = canonicalName(charset)
        if name != "UTF-8", name != "US-ASCII", let s = convert(array, from: name) { return s }
        if let s = String(validating: array, as: UTF8.self) { return s }
        // Mislabelled or unlabelled 8-bit text is nearly always Windows-1252.
        return latin(array)
    }

    /// The `iconv` name for a MIME charset label, with the usual supersets: what mailers
    /// label GB2312 or ISO-8859-1 is, in practice, GBK (GB18030) or Windows-1252.
    public static func canonicalName(_ label: String?) -> String {
        var s = (label ?? "").trimmingBlanks(newlines: false).lowercased()
        s = s.trimming { $0 == "\"" || $0 == "'" }
        switch s {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "default": return "UTF-8"
        case "", "us-ascii", "ascii", "ansi_x3.4-1968", "646": return "US-ASCII"
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1", "cp819", "windows-1252", "cp1252", "x-cp1252": return "WINDOWS-1252"
        case "gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "gb18030", "x-euc-cn", "csgb2312": return "GB18030"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "cp932", "csshiftjis": return "CP932"
        case "big5", "big-5", "x-big5", "cn-big5", "csbig5", "cp950": return "BIG5-HKSCS"
        case "ks_c_5601-1987", "euc-kr", "cp949", "windows-949", "ks_c_5601": return "CP949"
        case "iso-2022-jp", "csiso2022jp": return "ISO-2022-JP-2"
        default:
            // Only names of letters, digits and - _ . : go to iconv.
            guard s.count <= 40, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else { return "UTF-8" }
            return s.uppercased()
        }
    }

    /// Nil when iconv does not know the charset.
    static func convert(_ input: [UInt8], from charset: String) -> String? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        if input.isEmpty { return "" }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 2 + 16)
        var chunk = [UInt8](repeating: 0, count: max(256, input.count * 3 + 16))
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        input.withUnsafeBufferPointer { source in
            var inPtr = UnsafeMutablePointer<CChar>(mutating: UnsafeRawPointer(source.baseAddress!).assumingMemoryBound(to: CChar.self))
            var inLeft = source.count
            while true {
                let produced: Int
                let result: Int
                (result, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int, Int) in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = out.count
                    var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                    let r = inLeft == 0 ? iconv(cd, nil, nil, &outPtr, &outLeft) : iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                    inPtr = inOpt ?? inPtr
                    return (r, out.count - outLeft)
                }
                let err = errno
                output.append(contentsOf: chunk[0..<produced])
                if result != -1 {
                    if inLeft == 0 { break }
                    continue
                }
                if err == E2BIG { continue }
                // EILSEQ (an invalid byte) or EINVAL (cut off at the end): mark it and go on.
                output.append(contentsOf: replacement)
                if err == EINVAL || inLeft <= 1 { break }
                inPtr += 1; inLeft -= 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Windows-1252 text (also how a header that is not valid UTF-8 is read).
    static func latin(_ bytes: [UInt8]) -> String {
        convert(bytes, from: "WINDOWS-1252") ?? String(decoding: bytes, as: UTF8.self)
    }
}
