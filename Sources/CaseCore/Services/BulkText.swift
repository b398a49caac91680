import Foundation

/// Varied text for the bulk loader: customers with names from every demo culture, and
/// what they said in their own words (the demo's topics with amounts, devices, months and
/// order numbers filled per case, plus a line in their own language), so the search
/// benchmark sees rare and common words as a real desk would.
struct BulkText {
    struct Person { var name: String; var email: String; var phone: String; var account: String; var lang: String }

    /// A line per language: what customers add in their own words.
    static let ownWords: [String: [String]] = [
        "de": ["Die Lieferung ist immer noch nicht angekommen.", "Bitte rufen Sie mich zurück, ich warte seit Tagen.", "Die Rechnung stimmt nicht."],
        "es": ["El pedido todavía no ha llegado.", "Llevo una semana esperando una respuesta.", "Me han cobrado dos veces este mes."],
        "fr": ["La commande n'est toujours pas arrivée.", "J'attends votre réponse depuis lundi.", "Le remboursement n'apparaît pas sur mon compte."],
        "zh": ["我的订单还没有到。", "请尽快给我回电话。", "这个月的账单被重复扣款了。"],
        "ja": ["注文した商品がまだ届きません。", "折り返しお電話ください。", "今月の請求が二重になっています。"],
        "ko": ["주문한 물건이 아직 안 왔어요.", "빨리 연락 부탁드립니다."],
        "ar": ["لم يصل طلبي بعد.", "أرجو الاتصال بي في أقرب وقت."],
        "ru": ["Заказ до сих пор не пришёл.", "Прошу перезвонить мне как можно скорее."],
        "da": ["Min pakke er stadig ikke kommet.", "Ring venligst tilbage."],
        "pl": ["Zamówienie wciąż nie dotarło.", "Proszę o pilny kontakt."],
        "pt": ["A encomenda ainda não chegou.", "Por favor, liguem-me de volta."],
        "tr": ["Siparişim hâlâ gelmedi.", "Lütfen beni geri arayın."],
        "vi": ["Đơn hàng của tôi vẫn chưa đến.", "Vui lòng gọi lại cho tôi."],
        "hi": ["मेरा ऑर्डर अभी तक नहीं आया।", "कृपया मुझे वापस कॉल करें।"],
        "el": ["Η παραγγελία μου δεν έχει φτάσει ακόμα."],
        "he": ["ההזמנה שלי עדיין לא הגיעה."],
    ]

    /// Someone to be: a name from a culture (weighted as the demo weights them).
    static func person(_ n: Int, names: DemoNames, weights: [Double], rng: inout SplitMix64) -> Person {
        let culture = names.cultures[rng.weighted(weights)]
        let g = rng.pick(culture.given), f = rng.pick(culture.family)
        let family = g.female ? f.female : f.male
        let name = culture.familyFirst ? family + culture.separator + g.native : g.native + culture.separator + family
        let phone = String(culture.phone.map { $0 == "#" ? Character(String(rng.below(10))) : $0 })
        let local = "\(g.latin.lowercased()).\((g.female ? f.latinFemale : f.latin).lowercased().replacingOccurrences(of: " ", with: ""))\(n)"
        return Person(name: name, email: "\(local)@\(culture.domain)", phone: phone, account: "BN-\(10_000_000 + n)",
                      lang: String(culture.lang.prefix(2)))
    }

    /// What a customer wrote when the case opened: the topic in their words, an order
    /// number, and often a line in their own language.
    static func firstWords(_ topic: String, lang: String, rng: inout SplitMix64) -> String {
        var text = topic + " Order \(rng.int(10_000_000...99_999_999))."
        if let lines = ownWords[lang], rng.below(3) != 0 { text += " " + rng.pick(lines) }
        return text
    }
}
