//! A deterministic synthetic national medical-insurance catalog (no public copy is reachable): drugs (23- or
//! 20-character codes starting `X` 西药 or `Z` 中成药), consumables (`C` + 19 digits) and services (15
//! digits), with a class mix, self-pay-first rates and price caps. For tests, samples and scale runs only;
//! the names are real generic names combined with a dosage form and are not a real catalog's rows.

use super::entry::{ItemClass, Rate, Row};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or("")
    }
}

const DRUGS: &[(&str, &str, &str)] = &[
    ("阿莫西林", "Amoxicillin", "XJ01CA"),
    ("头孢呋辛", "Cefuroxime", "XJ01DC"),
    ("头孢匹罗", "Cefpirome", "XJ01DE"),
    ("左氧氟沙星", "Levofloxacin", "XJ01MA"),
    ("阿奇霉素", "Azithromycin", "XJ01FA"),
    ("二甲双胍", "Metformin", "XA10BA"),
    ("阿卡波糖", "Acarbose", "XA10BF"),
    ("胰岛素", "Insulin", "XA10AB"),
    ("地喹氯铵", "Dequalinium", "XA01AB"),
    ("奥美拉唑", "Omeprazole", "XA02BC"),
    ("阿托伐他汀", "Atorvastatin", "XC10AA"),
    ("氨氯地平", "Amlodipine", "XC08CA"),
    ("缬沙坦", "Valsartan", "XC09CA"),
    ("美托洛尔", "Metoprolol", "XC07AB"),
    ("阿司匹林", "Aspirin", "XB01AC"),
    ("氯吡格雷", "Clopidogrel", "XB01AC"),
    ("布洛芬", "Ibuprofen", "XM01AE"),
    ("对乙酰氨基酚", "Paracetamol", "XN02BE"),
    ("舍曲林", "Sertraline", "XN06AB"),
    ("孟鲁司特", "Montelukast", "XR03DC"),
    ("沙丁胺醇", "Salbutamol", "XR03AC"),
    ("氯雷他定", "Loratadine", "XR06AX"),
    ("紫杉醇", "Paclitaxel", "XL01CD"),
    ("曲妥珠单抗", "Trastuzumab", "XL01FD"),
    ("阿布昔替尼", "Abrocitinib", "XD11AH"),
    ("连花清瘟", "Lianhua Qingwen", "ZA04AA"),
    ("复方丹参", "Compound Danshen", "ZA12EA"),
    ("六味地黄", "Liuwei Dihuang", "ZA09AA"),
    ("板蓝根", "Banlangen", "ZA01BA"),
    ("藿香正气", "Huoxiang Zhengqi", "ZA04BA"),
];

const FORMS: &[(&str, &str, &str)] = &[
    ("A001", "片", "tablets"),
    ("A002", "含片", "lozenges"),
    ("A006", "缓释片", "extended-release tablets"),
    ("B001", "胶囊", "capsules"),
    ("C001", "颗粒", "granules"),
    ("D001", "口服液", "oral solution"),
    ("F001", "注射液", "injection"),
    ("F002", "注射用粉针", "powder for injection"),
];

const SUPPLIES: &[(&str, &str)] = &[
    ("一次性使用输液器", "infusion set, single use"),
    ("医用导管", "medical catheter"),
    ("冠脉支架", "coronary stent"),
    ("人工髋关节", "hip prosthesis"),
    ("医用缝合线", "surgical suture"),
    ("骨科内固定板", "orthopaedic fixation plate"),
];

const SERVICES: &[(&str, &str, &str)] = &[
    ("121600001", "导尿", "urinary catheterisation"),
    ("110200001", "普通门诊诊查费", "outpatient consultation"),
    ("120100001", "床位费", "bed day"),
    ("250102001", "血常规", "complete blood count"),
    ("210300001", "CT平扫", "CT scan, plain"),
    ("310701001", "心电图", "electrocardiogram"),
];

const RATES_B: &[&str] = &["0.05", "0.10", "0.10", "0.10", "0.15", "0.20", "0.30"];

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect()
}

fn class_mix(rng: &mut Rng, a: u64, b: u64) -> ItemClass {
    let r = rng.below(100);
    if r < a {
        ItemClass::A
    } else if r < a + b {
        ItemClass::B
    } else {
        ItemClass::SelfPay
    }
}

/// `count` rows (unique codes, unsorted is fine for the builder): about 85% drugs, 10% consumables, 5%
/// services; drugs about 40% 甲 / 50% 乙 / 10% outside; 乙 rates from 0.05 to 0.30 (mostly 0.10).
pub fn synthetic_items(count: usize, seed: u64) -> Vec<Row> {
    let mut rng = Rng(seed | 1);
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut rows = Vec::with_capacity(count);
    // Generic names: a base drug and a name code (pinyin initial + 3 digits) — about count/200 of them.
    let generics = (count / 200).max(DRUGS.len());
    while rows.len() < count {
        let kind = rng.below(100);
        let mut rate_rng = Rng(rng.next() | 1);
        let (code, zh, en, class, cap) = if kind < 85 {
            let g = rng.below(generics as u64);
            let (dzh, den, atc) = DRUGS.get(g as usize % DRUGS.len()).copied().unwrap_or(("", "", "X"));
            let mut g_rng = Rng(g.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let name_code = format!("{}{:03}", char::from(b'A' + g_rng.below(26) as u8), g_rng.below(1000));
            let (form, fzh, fen) = FORMS
                .get(g_rng.below(FORMS.len() as u64) as usize)
                .copied()
                .unwrap_or(("A001", "片", "tablets"));
            let spec = format!("{:02}{:02}", 1 + rng.below(12), 1 + rng.below(4));
            let long = rng.below(100) >= 5;
            let enterprise = digits(&mut rng, if long { 5 } else { 2 });
            let code = format!("{atc}{name_code}{form}{spec}{enterprise}");
            let class = class_mix(&mut g_rng, 40, 50);
            rate_rng = Rng(g_rng.next() | 1);
            let cap = (class == ItemClass::B && g.is_multiple_of(7)).then(|| 500 + (g_rng.next() % 200_000) as i64);
            let suffix = if g as usize >= DRUGS.len() {
                format!(" {}", name_code)
            } else {
                String::new()
            };
            (
                code,
                format!("{dzh}{fzh}{suffix}"),
                format!("{den} {fen}{suffix}"),
                class,
                cap,
            )
        } else if kind < 95 {
            // C + 分类码(6) + 通用名码(3) + 产品特征码(5) + 生产企业码(5): the first 9 digits fixed per product type.
            let t = rng.below(SUPPLIES.len() as u64 * 8);
            let (szh, sen) = SUPPLIES.get((t / 8) as usize).copied().unwrap_or(("", ""));
            let head = 1_301_010_000 + t * 7_919 % 9_000_000;
            let code = format!(
                "C{:09}{}{}",
                head % 1_000_000_000,
                digits(&mut rng, 5),
                digits(&mut rng, 5)
            );
            let class = class_mix(&mut Rng(t | 1), 20, 60);
            let cap = (rng.below(10) < 8).then(|| 100 + (rng.next() % 5_000_000) as i64);
            (code, szh.to_string(), sen.to_string(), class, cap)
        } else {
            let (item, szh, sen) = SERVICES
                .get(rng.below(SERVICES.len() as u64) as usize)
                .copied()
                .unwrap_or(("", "", ""));
            // 00 + a 9-digit 全国医疗服务价格项目规范 item (sharing its first 6 digits) + a 4-digit sub-item.
            let head = item.get(..6).unwrap_or("121600");
            let code = format!("00{head}{}{:02}00", digits(&mut rng, 3), rng.below(100));
            let class = class_mix(&mut rng, 70, 25);
            (
                code,
                szh.to_string(),
                sen.to_string(),
                class,
                Some(500 + (rng.next() % 100_000) as i64),
            )
        };
        if !seen.insert(code.clone()) {
            continue;
        }
        let rate = match class {
            ItemClass::A => "0.00",
            ItemClass::B => rate_rng.pick(RATES_B),
            ItemClass::SelfPay => "1.00",
        };
        rows.push(Row {
            code,
            name_zh: Some(zh),
            name_en: Some(en),
            class: Some(class),
            self_pay_rate: Rate::parse(rate),
            price_cap_fen: cap,
            line: rows.len() + 1,
        });
    }
    rows
}
