// libFuzzer target for the MIME parser (scripts/fuzz-mail builds and runs it).
// Built from the parser's own files only: they import nothing but Foundation.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func mailFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let mail = try? MailParser.parse(bytes) {
        // What reaches a screen never carries a control character but newline and tab.
        for text in [mail.subject, mail.text, mail.from?.name ?? ""] + mail.attachments.map(\.filename) {
            if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }) {
                fatalError("a control character survived: \(text.debugDescription)")
            }
        }
        _ = MailText.foldQuotes(mail.text)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    _ = TransferEncoding.decodeHeader(text)
    _ = HeaderValue(text)
    _ = MailAddress.parse(text)
    _ = MailText.fromHTML(text)
    // Encoding then decoding a header gives the text back.
    let clean = MailText.clean(text).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
    if !clean.contains("=?"), TransferEncoding.decodeHeader(TransferEncoding.encodeHeader(clean).replacingOccurrences(of: "\r\n", with: "")) != clean {
        fatalError("encoded-word round trip failed for \(clean.debugDescription)")
    }
    return 0
}
