import Foundation

// The words and names the demo generator draws from. Plain data, kept apart from the
// generator so either can be read on its own.

// MARK: - names

struct Culture: Sendable {
    struct Given: Sendable { var native: String; var latin: String; var female: Bool }
    struct Family: Sendable { var male: String; var female: String; var latin: String; var latinFemale: String }
    var lang: String
    var weight: Double
    var familyFirst: Bool
    var separator: String
    var given: [Given]
    var family: [Family]
    var domain: String
    /// `#` is a random digit.
    var phone: String
    var cities: [String]

    /// `given` entries are "native/latin" with an optional "/f"; `family` entries are
    /// "male/latin" or "male|female/latin|latinFemale" where the family name takes a feminine form.
    init(_ lang: String, _ weight: Double, familyFirst: Bool = false, separator: String = " ",
         given: [String], family: [String], domain: String, phone: String, cities: [String]) {
        self.lang = lang; self.weight = weight; self.familyFirst = familyFirst; self.separator = separator
        self.given = given.map { s in
            let p = s.split(separator: "/").map(String.init)
            return Given(native: p[0], latin: p[1], female: p.count > 2)
        }
        self.family = family.map { s in
            let p = s.split(separator: "/").map(String.init)
            let forms = p[0].split(separator: "|").map(String.init)
            let latin = p[1].split(separator: "|").map(String.init)
            return Family(male: forms[0], female: forms.count > 1 ? forms[1] : forms[0], latin: latin[0], latinFemale: latin.last!)
        }
        self.domain = domain; self.phone = phone; self.cities = cities
    }
}

enum Names {
    struct Showcase: Sendable { var name, first, last, latinFirst, latinLast, lang: String }

    /// Names every demo has, so screens, tests and docs can point at them.
    static let showcase: [Showcase] = [
        Showcase(name: "María Núñez", first: "María", last: "Núñez", latinFirst: "Maria", latinLast: "Nunez", lang: "es"),
        Showcase(name: "李娜", first: "娜", last: "李", latinFirst: "Na", latinLast: "Li", lang: "zh"),
        Showcase(name: "田中 翔", first: "翔", last: "田中", latinFirst: "Sho", latinLast: "Tanaka", lang: "ja"),
        Showcase(name: "فاطمة الزهراء", first: "فاطمة", last: "الزهراء", latinFirst: "Fatima", latinLast: "Alzahraa", lang: "ar"),
        Showcase(name: "Zoë Lefèvre", first: "Zoë", last: "Lefèvre", latinFirst: "Zoe", latinLast: "Lefevre", lang: "fr"),
        Showcase(name: "Søren Nørgaard", first: "Søren", last: "Nørgaard", latinFirst: "Soren", latinLast: "Norgaard", lang: "da"),
        Showcase(name: "Анна Смирнова", first: "Анна", last: "Смирнова", latinFirst: "Anna", latinLast: "Smirnova", lang: "ru"),
        Showcase(name: "प्रिया शर्मा", first: "प्रिया", last: "शर्मा", latinFirst: "Priya", latinLast: "Sharma", lang: "hi"),
        Showcase(name: "Oda Ren", first: "Oda", last: "Ren", latinFirst: "Oda", latinLast: "Ren", lang: "ja"),
        Showcase(name: "Nguyễn Thị Lan", first: "Lan", last: "Nguyễn Thị", latinFirst: "Lan", latinLast: "Nguyen", lang: "vi"),
        Showcase(name: "Jürgen Müller", first: "Jürgen", last: "Müller", latinFirst: "Juergen", latinLast: "Mueller", lang: "de"),
        Showcase(name: "Ayşe Yılmaz", first: "Ayşe", last: "Yılmaz", latinFirst: "Ayse", latinLast: "Yilmaz", lang: "tr"),
        Showcase(name: "김민준", first: "민준", last: "김", latinFirst: "Minjun", latinLast: "Kim", lang: "ko"),
        Showcase(name: "Łukasz Wiśniewski", first: "Łukasz", last: "Wiśniewski", latinFirst: "Lukasz", latinLast: "Wisniewski", lang: "pl"),
        Showcase(name: "João Gonçalves", first: "João", last: "Gonçalves", latinFirst: "Joao", latinLast: "Goncalves", lang: "pt"),
        Showcase(name: "Mia 🌻 Novak", first: "Mia", last: "Novak", latinFirst: "Mia", latinLast: "Novak", lang: "en"),
        Showcase(name: "Chinedu Okafor", first: "Chinedu", last: "Okafor", latinFirst: "Chinedu", latinLast: "Okafor", lang: "en-NG"),
    ]

    static let cultures: [Culture] = [
        Culture("en", 22, given: ["James/James", "Olivia/Olivia/f", "Michael/Michael", "Emma/Emma/f", "Liam/Liam", "Charlotte/Charlotte/f",
                                  "Noah/Noah", "Amelia/Amelia/f", "Ethan/Ethan", "Grace/Grace/f", "Harry/Harry", "Isla/Isla/f", "George/George", "Poppy/Poppy/f"],
                family: ["Smith/Smith", "Johnson/Johnson", "Brown/Brown", "Taylor/Taylor", "Wilson/Wilson", "Clarke/Clarke", "Walker/Walker",
                         "Robinson/Robinson", "Hughes/Hughes", "Bennett/Bennett", "O'Connor/OConnor", "Patel/Patel", "Evans/Evans", "Khan/Khan"],
                domain: "example.co.uk", phone: "+44 7### ######", cities: ["London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"]),
        Culture("es", 12, given: ["María/Maria/f", "José/Jose", "Lucía/Lucia/f", "Alejandro/Alejandro", "Sofía/Sofia/f", "Javier/Javier",
                                  "Ángela/Angela/f", "Andrés/Andres", "Inés/Ines/f", "Raúl/Raul", "Begoña/Begona/f", "Íñigo/Inigo"],
                family: ["Núñez/Nunez", "García/Garcia", "Fernández/Fernandez", "López/Lopez", "Martínez/Martinez", "Sánchez/Sanchez",
                         "Pérez/Perez", "Gómez/Gomez", "Muñoz/Munoz", "Ibáñez/Ibanez", "Peña/Pena"],
                domain: "correo.example.es", phone: "+34 6## ### ###", cities: ["Madrid", "Sevilla", "Valencia", "Bilbao", "Ciudad de México"]),
        Culture("fr", 7, given: ["Chloé/Chloe/f", "Théo/Theo", "Léa/Lea/f", "Hélène/Helene/f", "François/Francois", "Jérôme/Jerome",
                                 "Camille/Camille/f", "Noël/Noel", "Aurélie/Aurelie/f", "Zoë/Zoe/f", "Gaëlle/Gaelle/f"],
                family: ["Lefèvre/Lefevre", "Dubois/Dubois", "Moreau/Moreau", "Girard/Girard", "Bérenger/Berenger", "Lemaître/Lemaitre",
                         "Rousseau/Rousseau", "Faure/Faure", "Benoît/Benoit"],
                domain: "example.fr", phone: "+33 6 ## ## ## ##", cities: ["Paris", "Lyon", "Marseille", "Lille", "Québec"]),
        Culture("de", 7, given: ["Jürgen/Juergen", "Anja/Anja/f", "Lukas/Lukas", "Björn/Bjoern", "Katrin/Katrin/f", "Matthias/Matthias",
                                 "Hannah/Hannah/f", "Tobias/Tobias", "Käthe/Kaethe/f", "Jörg/Joerg"],
                family: ["Müller/Mueller", "Schäfer/Schaefer", "Groß/Gross", "Becker/Becker", "Köhler/Koehler", "Weiß/Weiss",
                         "Hoffmann/Hoffmann", "Krüger/Krueger", "Schröder/Schroeder"],
                domain: "example.de", phone: "+49 15# ########", cities: ["Berlin", "München", "Köln", "Hamburg", "Wien", "Zürich"]),
        Culture("da", 5, given: ["Søren/Soren", "Ingrid/Ingrid/f", "Åsa/Asa/f", "Bjørn/Bjorn", "Freja/Freja/f", "Magnus/Magnus",
                                 "Sigrid/Sigrid/f", "Mikkel/Mikkel", "Astrid/Astrid/f"],
                family: ["Jørgensen/Jorgensen", "Lindqvist/Lindqvist", "Håkansson/Hakansson", "Nørgaard/Norgaard", "Andersen/Andersen",
                         "Østergaard/Ostergaard", "Dahl/Dahl", "Lund/Lund"],
                domain: "example.dk", phone: "+45 ## ## ## ##", cities: ["København", "Aarhus", "Malmö", "Oslo", "Göteborg"]),
        Culture("zh", 8, familyFirst: true, separator: "",
                given: ["娜/Na/f", "伟/Wei", "敏/Min/f", "洋/Yang", "静/Jing/f", "磊/Lei", "丽/Li/f", "勇/Yong", "杰/Jie", "芳/Fang/f",
                        "秀英/Xiuying/f", "建华/Jianhua"],
                family: ["李/Li", "王/Wang", "张/Zhang", "刘/Liu", "陈/Chen", "杨/Yang", "赵/Zhao", "黄/Huang", "周/Zhou", "吴/Wu"],
                domain: "example.cn", phone: "+86 13# #### ####", cities: ["北京", "上海", "广州", "深圳", "London"]),
        Culture("ja", 5, familyFirst: true,
                given: ["翔/Sho", "陽菜/Hina/f", "蓮/Ren", "結衣/Yui/f", "大翔/Hiroto", "さくら/Sakura/f", "健太/Kenta", "美咲/Misaki/f"],
                family: ["田中/Tanaka", "鈴木/Suzuki", "佐藤/Sato", "高橋/Takahashi", "渡辺/Watanabe", "伊藤/Ito", "山本/Yamamoto", "中村/Nakamura"],
                domain: "example.jp", phone: "+81 90-####-####", cities: ["東京", "大阪", "横浜", "札幌"]),
        Culture("ko", 3, familyFirst: true, separator: "",
                given: ["민준/Minjun", "서연/Seoyeon/f", "지호/Jiho", "하은/Haeun/f", "도윤/Doyun", "지우/Jiwoo/f"],
                family: ["김/Kim", "이/Lee", "박/Park", "최/Choi", "정/Jung"],
                domain: "example.kr", phone: "+82 10-####-####", cities: ["서울", "부산", "인천"]),
        Culture("ar", 7, given: ["فاطمة/Fatima/f", "محمد/Mohammed", "أحمد/Ahmed", "ليلى/Layla/f", "عمر/Omar", "مريم/Maryam/f",
                                 "يوسف/Youssef", "نور/Nour/f", "خالد/Khaled", "سارة/Sara/f"],
                family: ["الحسن/Alhassan", "المنصوري/Almansouri", "حداد/Haddad", "الخطيب/Alkhatib", "النجار/Alnajjar", "العلي/Alali",
                         "سليمان/Suleiman", "القاسم/Alqasim"],
                domain: "example.ae", phone: "+971 5# ### ####", cities: ["دبي", "القاهرة", "عمّان", "الرياض", "Birmingham"]),
        Culture("ru", 5, given: ["Анна/Anna/f", "Дмитрий/Dmitry", "Ольга/Olga/f", "Сергей/Sergey", "Наталья/Natalya/f", "Алексей/Alexey",
                                 "Екатерина/Ekaterina/f", "Иван/Ivan"],
                family: ["Иванов|Иванова/Ivanov|Ivanova", "Смирнов|Смирнова/Smirnov|Smirnova", "Кузнецов|Кузнецова/Kuznetsov|Kuznetsova", "Попов|Попова/Popov|Popova",
                         "Соколов|Соколова/Sokolov|Sokolova", "Волков|Волкова/Volkov|Volkova"],
                domain: "example.ru", phone: "+7 9## ###-##-##", cities: ["Москва", "Санкт-Петербург", "Казань", "Riga"]),
        Culture("hi", 5, given: ["प्रिया/Priya/f", "राहुल/Rahul", "अनीता/Anita/f", "विक्रम/Vikram", "सुनीता/Sunita/f", "अर्जुन/Arjun",
                                 "दीपिका/Deepika/f", "अमित/Amit"],
                family: ["शर्मा/Sharma", "वर्मा/Verma", "गुप्ता/Gupta", "पटेल/Patel", "सिंह/Singh", "जोशी/Joshi"],
                domain: "example.in", phone: "+91 9#### #####", cities: ["मुंबई", "दिल्ली", "Bengaluru", "Leicester"]),
        Culture("en-IN", 4, given: ["Ananya/Ananya/f", "Rohan/Rohan", "Kavya/Kavya/f", "Aditya/Aditya", "Meera/Meera/f", "Siddharth/Siddharth"],
                family: ["Iyer/Iyer", "Nair/Nair", "Reddy/Reddy", "Kapoor/Kapoor", "Menon/Menon", "Chatterjee/Chatterjee"],
                domain: "example.in", phone: "+91 9#### #####", cities: ["Bengaluru", "Chennai", "Pune", "Leicester"]),
        Culture("tr", 3, given: ["Ayşe/Ayse/f", "Mehmet/Mehmet", "Çağrı/Cagri", "Gülşen/Gulsen/f", "Oğuz/Oguz", "Şule/Sule/f",
                                 "İbrahim/Ibrahim", "Özlem/Ozlem/f"],
                family: ["Yılmaz/Yilmaz", "Kaya/Kaya", "Demir/Demir", "Şahin/Sahin", "Çelik/Celik", "Öztürk/Ozturk", "Aydın/Aydin", "Doğan/Dogan"],
                domain: "example.com.tr", phone: "+90 5## ### ## ##", cities: ["İstanbul", "Ankara", "İzmir"]),
        Culture("vi", 3, familyFirst: true,
                given: ["Văn Hùng/Hung", "Thị Lan/Lan/f", "Minh Anh/MinhAnh/f", "Thu Hà/Ha/f", "Đức Minh/Minh", "Quốc Bảo/Bao"],
                family: ["Nguyễn/Nguyen", "Trần/Tran", "Lê/Le", "Phạm/Pham", "Hoàng/Hoang", "Đặng/Dang"],
                domain: "example.vn", phone: "+84 9# ### ## ##", cities: ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng"]),
        Culture("pl", 3, given: ["Łukasz/Lukasz", "Małgorzata/Malgorzata/f", "Wojciech/Wojciech", "Zofia/Zofia/f", "Paweł/Pawel",
                                 "Agnieszka/Agnieszka/f"],
                family: ["Kowalski|Kowalska/Kowalski|Kowalska", "Wiśniewski|Wiśniewska/Wisniewski|Wisniewska", "Wójcik/Wojcik", "Zieliński|Zielińska/Zielinski|Zielinska",
                         "Dąbrowski|Dąbrowska/Dabrowski|Dabrowska"],
                domain: "example.pl", phone: "+48 ### ### ###", cities: ["Warszawa", "Kraków", "Gdańsk", "Łódź"]),
        Culture("pt", 4, given: ["João/Joao", "Conceição/Conceicao/f", "Gonçalo/Goncalo", "Beatriz/Beatriz/f", "Luís/Luis", "Ana/Ana/f",
                                 "Thiago/Thiago", "Letícia/Leticia/f"],
                family: ["Gonçalves/Goncalves", "Araújo/Araujo", "Magalhães/Magalhaes", "Simões/Simoes", "Pereira/Pereira", "Conceição/Conceicao"],
                domain: "example.com.br", phone: "+55 11 9####-####", cities: ["São Paulo", "Lisboa", "Porto", "Rio de Janeiro"]),
        Culture("en-NG", 3, given: ["Chinedu/Chinedu", "Ngozi/Ngozi/f", "Oluwaseun/Oluwaseun", "Adaeze/Adaeze/f", "Tunde/Tunde",
                                    "Funmilayo/Funmilayo/f", "Emeka/Emeka"],
                family: ["Okafor/Okafor", "Adeyemi/Adeyemi", "Balogun/Balogun", "Eze/Eze", "Bakare/Bakare", "Okonkwo/Okonkwo"],
                domain: "example.ng", phone: "+234 80# ### ####", cities: ["Lagos", "Abuja", "Ibadan", "London"]),
        Culture("he", 1, given: ["דנה/Dana/f", "יוסי/Yossi", "נועה/Noa/f", "איתי/Itai"],
                family: ["כהן/Cohen", "לוי/Levi", "מזרחי/Mizrahi", "פרץ/Peretz"],
                domain: "example.co.il", phone: "+972 5#-###-####", cities: ["תל אביב", "ירושלים", "חיפה"]),
        Culture("el", 1, given: ["Γιώργος/Giorgos", "Ελένη/Eleni/f", "Νίκος/Nikos", "Μαρία/Maria/f"],
                family: ["Παπαδόπουλος|Παπαδοπούλου/Papadopoulos|Papadopoulou", "Οικονόμου/Oikonomou", "Γεωργίου/Georgiou"],
                domain: "example.gr", phone: "+30 69# ### ####", cities: ["Αθήνα", "Θεσσαλονίκη"]),
    ]
}

// MARK: - what customers write about

enum Topics {
    /// (subject, what the customer said) per call type; `{amount}`, `{month}`, `{order}`,
    /// `{device}` and `{last4}` are filled per case.
    static let byCallType: [String: [(String, String)]] = [
        "billing.dispute": [
            ("Charged twice for {month}", "I've been charged twice for my {month} bill — {amount} went out two times on the same day. Please refund the duplicate."),
            ("Unrecognised charge of {amount}", "There's a charge of {amount} on my statement that I don't recognise. I never ordered anything that week."),
            ("Disputing a late-payment fee", "You charged me a late fee but the payment left my bank on time. I want it removed."),
            ("Bill higher than the agreed price", "My bill is {amount} but I was promised a lower monthly price when I signed up."),
            ("Still billed after cancelling", "I cancelled last month and you have still taken {amount} from my account."),
        ],
        "billing.refund": [
            ("Refund not received after return", "I sent the item back three weeks ago and still haven't had my {amount} refund."),
            ("Refund for unused months", "I paid annually but I'm moving abroad — can I get a refund for the months I won't use?"),
            ("Refund went to an old card", "Your refund of {amount} went to a card ending {last4} that I've closed. How do I get it?"),
            ("Only part of my refund arrived", "I only got part of my money back — {amount} is still missing."),
        ],
        "billing.payment_failed": [
            ("Card declined on renewal", "My renewal payment keeps getting declined, but the card ending {last4} works everywhere else."),
            ("Direct debit failed", "I had an email saying my direct debit failed. There's enough money in the account."),
            ("Error on the payment page", "The payment page shows an error at the last step and I can't pay my bill."),
            ("Paid but the bill shows unpaid", "{amount} left my account but my online account still says the bill is unpaid."),
        ],
        "device.setup": [
            ("Help setting up my new {device}", "I've just got my new {device} and can't get past the setup screen."),
            ("{device} won't pair with the app", "The app can't find my {device} when I try to pair it."),
            ("Moving settings to a new {device}", "How do I move everything from my old {device} to the new one?"),
            ("Activation code not accepted", "The activation code in the box is rejected every time I type it."),
        ],
        "device.fault": [
            ("{device} keeps restarting", "My {device} has been restarting by itself every few minutes since yesterday."),
            ("{device} won't turn on", "The {device} is completely dead — no lights at all, even after charging overnight."),
            ("Screen flickering on my {device}", "The screen on my {device} flickers and then goes black."),
            ("{device} overheating", "The {device} gets very hot and shuts itself down."),
        ],
        "device.connectivity": [
            ("Wi-Fi keeps dropping", "My internet drops every evening around 8pm for about ten minutes."),
            ("No internet since this morning", "No connection at all since this morning; all the lights on the router are orange."),
            ("Slow speeds on my {device}", "I'm paying for 500 Mb but getting 20 Mb on my {device}."),
            ("{device} can't see my home network", "Since the update my {device} doesn't find my home Wi-Fi any more."),
        ],
        "account.access": [
            ("Can't sign in", "I can't log into my account. It says my password is wrong, but I've just reset it."),
            ("Locked out after too many attempts", "My account is locked after I typed my password wrong a few times."),
            ("Verification code never arrives", "The verification text never arrives, so I can't sign in."),
            ("New phone, lost my authenticator", "I got a new phone and lost my authenticator app. How do I get back in?"),
        ],
        "account.close": [
            ("Please close my account", "Please close my account — I'm moving to another provider."),
            ("Cancel and delete my data", "I want to cancel and have all my personal data deleted."),
            ("Closing a late relative's account", "My father passed away last month and I need to close his account."),
        ],
        "account.fraud": [
            ("Someone else signed into my account", "I got an alert about a sign-in from a city I've never been to."),
            ("Order {order} was not placed by me", "There's an order {order} on my account for {amount} that I never placed."),
            ("My email address was changed", "The email address on my account was changed and it wasn't me."),
        ],
        "orders.late": [
            ("Order {order} hasn't arrived", "My order {order} was due three days ago and it still hasn't arrived."),
            ("Tracking stuck for a week", "The tracking for {order} hasn't updated in a week."),
            ("Marked delivered but not received", "Tracking says {order} was delivered yesterday, but nothing came."),
            ("Next-day delivery took four days", "I paid for next-day delivery and it's been four days."),
        ],
        "orders.damaged": [
            ("{device} arrived broken", "My {device} arrived with a cracked screen — the box was crushed."),
            ("Parts missing from order {order}", "Order {order} arrived but the charger and cable are missing."),
            ("Wrong item delivered", "I ordered a {device} but received something else entirely."),
        ],
        "orders.return": [
            ("Return label for order {order}", "I'd like to return order {order}. Can you send me a return label?"),
            ("Returning an unopened {device}", "I want to return the {device}; it's still sealed."),
            ("Exchange for a different colour", "Can I exchange order {order} for a different colour?"),
        ],
        "complaint.staff": [
            ("Agent was rude on my last call", "The person I spoke to yesterday was rude and hung up on me."),
            ("Engineer didn't turn up", "I took a day off work and the engineer never came."),
            ("Store staff refused to help", "The staff in your store said they couldn't help and told me to phone instead."),
        ],
        "complaint.policy": [
            ("Unfair late-fee policy", "It's unfair that being one day late costs me a {amount} fee."),
            ("Refund only as store credit", "Why can I only get store credit? I want my money back."),
            ("Price rise in the middle of my contract", "You raised my price in the middle of my contract. That's not what I signed."),
            ("Return refused without the original box", "I threw the box away and now you won't accept my return."),
        ],
    ]

    static let devices = ["router", "set-top box", "smart speaker", "tablet", "phone", "smartwatch", "mesh extender"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func draw(_ ct: CallType, at: Date, calendar: Calendar, rng: inout SplitMix64) -> (String, String) {
        let pair = byCallType[ct.code].map { rng.pick($0) }
            ?? (ct.name, "I'm getting in touch about this: \(ct.name.lowercased()). Can you help?")
        let month = months[(calendar.component(.month, from: at) + 10) % 12]   // last month's bill
        let pence = rng.int(499...24_900)
        let values = ["{amount}": "£\(pence / 100).\(pence % 100 < 10 ? "0" : "")\(pence % 100)",
                      "{month}": month, "{order}": "#\(rng.int(1_000_000...9_999_999))",
                      "{device}": rng.pick(devices), "{last4}": String(rng.int(1000...9999))]
        func fill(_ s: String) -> String {
            var out = s
            for key in ["{amount}", "{month}", "{order}", "{device}", "{last4}"] { out = out.replacingOccurrences(of: key, with: values[key]!) }
            return out.prefix(1).uppercased() + out.dropFirst()
        }
        return (fill(pair.0), fill(pair.1))
    }

    static let genericResponse = """
        Hello {{customer.first_name}}, thank you for contacting us about "{{case.subject}}". I'm looking into it now and \
        will update you by {{case.due}}. Your reference is {{case.id}}. — {{agent.name}}
        """

    static func verifyNote(_ draw: Double) -> String {
        pickBy(draw, ["Identity verified: date of birth and postcode.", "Verified with security questions.",
                      "Verified via one-time code to the mobile on file.", "ID checked in store (driving licence)."])
    }

    static func followUpNote(_ category: String, draw: Double) -> String {
        let notes: [String: [String]] = [
            "billing": ["Raised with payments team; waiting for the bank reference.", "Asked finance to confirm the refund batch."],
            "device": ["Booked a line test; results in 24h.", "Requested a replacement unit from logistics."],
            "account": ["Passed to security for the sign-in log review.", "Closure needs a final-bill check first."],
            "orders": ["Courier investigation opened (5 working days).", "Warehouse checking stock for a replacement."],
            "complaint": ["Requested the call recording for review.", "Sent to the team lead for a goodwill decision."],
        ]
        return pickBy(draw, notes[category] ?? ["Investigating; will update the customer."])
    }

    static func waitingNote(_ category: String, draw: Double) -> String {
        let notes: [String: [String]] = [
            "billing": ["Waiting for the customer to send a bank statement.", "Asked customer to confirm the card's last four digits."],
            "device": ["Asked customer to send a photo of the router lights.", "Customer will try the reset tonight and report back."],
            "account": ["Waiting for the customer to confirm the new email address.", "Sent the closure form; waiting for it back."],
            "orders": ["Asked for photos of the parcel and packaging.", "Waiting for the customer to confirm the delivery address."],
            "complaint": ["Asked the customer for the date and time of the call.", "Waiting for the customer to choose an outcome."],
        ]
        return pickBy(draw, notes[category] ?? ["Waiting for the customer's reply."])
    }

    static func reply(draw: Double, phone: Bool) -> String {
        phone ? pickBy(draw, ["Customer called back with the details requested.", "Customer phoned to chase: still not sorted."])
              : pickBy(draw, ["Here's the photo you asked for.", "I've checked, and it's still happening.", "Thanks — details attached.",
                              "Any news? It's been a few days."])
    }

    static func rule(for category: String, draw: Double) -> String {
        let rules: [String: [String]] = [
            "billing": ["Refunds only go to the original card, even when that card is closed",
                        "A late fee can be waived only once in 12 months"],
            "device": ["A replacement ships only after the faulty unit is returned",
                       "Engineer visits cannot be booked for the same week"],
            "account": ["Account closure must be requested in writing",
                        "Password-reset letters go only to the postal address on file"],
            "orders": ["Returns are refused without the original packaging",
                       "Couriers will not re-deliver before 3 working days"],
            "complaint": ["Goodwill credit is capped at £10 without a manager",
                          "Complaints must wait 8 weeks before the ombudsman can be named"],
        ]
        return pickBy(draw, rules[category] ?? ["Policy required a refusal"])
    }

    static func flagAnswer(_ n: Int) -> String {
        pickBy(Double(n % 4) / 4, ["Raised with the policy owner; change under review for next quarter.",
                                   "Agreed — agents may now use discretion up to £25.",
                                   "Rule stays for legal reasons; added the reason to the script.",
                                   "Trial exemption for repeat contacts this month."])
    }

    static func consult(_ category: String, draw: Double) -> (String, String) {
        switch category {
        case "device":
            return pickBy(draw, [("Is the Wi-Fi drop after firmware 4.2 a known issue? Customer has reset twice.",
                                  "Yes — fixed in 4.2.3, rolling out this week. A manual update from the app settings fixes it now."),
                                 ("Can a unit with this serial be repaired, or only replaced?",
                                  "That batch is replace-only; send a new unit and tag the old one for analysis.")])
        default:
            return pickBy(draw, [("Can we refund a charge older than 12 months as a goodwill gesture?",
                                  "Yes, up to £150 with a note on the case; above that, send it to me."),
                                 ("The bank says the payment was returned but we show it as taken. Which is right?",
                                  "Ours lags the bank by 3 days; the payment was returned. Safe to reissue the bill.")])
        }
    }

    static func pickBy<T>(_ draw: Double, _ items: [T]) -> T { items[min(items.count - 1, Int(draw * Double(items.count)))] }
}

// MARK: - how cases end

enum Outcomes {
    /// Realistic resolution codes per call type; codes the pack lacks are skipped.
    static let byPrefix: [(String, [(String, Double)])] = [
        ("billing.dispute", [("refund_issued", 45), ("credit_applied", 20), ("explained", 25), ("wont_fix", 10)]),
        ("billing.refund", [("refund_issued", 60), ("credit_applied", 10), ("wont_fix", 15), ("explained", 15)]),
        ("billing", [("fixed", 50), ("explained", 40), ("escalated", 10)]),
        ("device", [("fixed", 55), ("replaced", 20), ("explained", 15), ("escalated", 10)]),
        ("account.close", [("cancelled", 70), ("explained", 30)]),
        ("account.fraud", [("fixed", 40), ("escalated", 40), ("refund_issued", 20)]),
        ("account", [("fixed", 80), ("explained", 20)]),
        ("orders.damaged", [("replaced", 60), ("refund_issued", 40)]),
        ("orders.return", [("refund_issued", 50), ("explained", 30), ("wont_fix", 20)]),
        ("orders", [("explained", 40), ("replaced", 20), ("refund_issued", 25), ("fixed", 15)]),
        ("complaint", [("explained", 50), ("credit_applied", 25), ("wont_fix", 15), ("escalated", 10)]),
    ]

    static func code(for callType: String, available: Set<String>, rng: inout SplitMix64) -> String {
        let table = byPrefix.first { callType == $0.0 || callType.hasPrefix($0.0 + ".") }?.1.filter { available.contains($0.0) } ?? []
        if !table.isEmpty { return table[rng.weighted(table.map(\.1))].0 }
        let fallback = available.sorted().filter { $0 != "duplicate" && $0 != "no_response" }
        return rng.pick(fallback.isEmpty ? available.sorted() : fallback)
    }

    /// CSAT skews positive, except when the answer was "no".
    static func csat(code: String, rng: inout SplitMix64) -> Int {
        let weights: [Double] = code == "wont_fix" ? [30, 25, 25, 15, 5] : [4, 5, 11, 30, 50]
        return rng.weighted(weights) + 1
    }
}
