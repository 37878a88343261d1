//! The columns of a people spreadsheet and the header names that find them.

use ablework_domain::lang::Lang;
use ablework_domain::normalize::normalize_text;

/// A column of the people spreadsheet (CONTRACT.md, `import persons`).
///
/// [`Field::name`] is the contract's field name, which error reports use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 姓名, required.
    Name,
    /// 身份证号, required.
    IdNumber,
    /// 残疾证号, required.
    CertificateNumber,
    /// 所属区 (a code or a name), required.
    District,
    /// 街道 (street or township).
    Street,
    /// 户籍类型 (城镇/农村).
    Hukou,
    /// 联系电话 (a mobile number).
    Phone,
    /// 文化程度.
    Education,
    /// 就业状态 (未就业/已就业).
    EmploymentStatus,
}

impl Field {
    /// Every field, in the order errors are reported.
    pub const ALL: [Field; 9] = [
        Field::Name,
        Field::IdNumber,
        Field::CertificateNumber,
        Field::District,
        Field::Street,
        Field::Hukou,
        Field::Phone,
        Field::Education,
        Field::EmploymentStatus,
    ];

    /// The fields a file must have a column for.
    pub const REQUIRED: [Field; 4] = [
        Field::Name,
        Field::IdNumber,
        Field::CertificateNumber,
        Field::District,
    ];

    /// The contract's field name (`id_number`), used in error reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::IdNumber => "id_number",
            Field::CertificateNumber => "certificate_number",
            Field::District => "district",
            Field::Street => "street",
            Field::Hukou => "hukou",
            Field::Phone => "phone",
            Field::Education => "education",
            Field::EmploymentStatus => "employment_status",
        }
    }

    /// The field with this contract name.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }

    /// The column header people are shown: the Chinese header for Chinese
    /// readers, the contract name for English ones (it is also the English
    /// header a file may use).
    pub fn header(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.header_zh(),
            Lang::En => self.name(),
        }
    }

    fn header_zh(self) -> &'static str {
        match self {
            Field::Name => "姓名",
            Field::IdNumber => "身份证号",
            Field::CertificateNumber => "残疾证号",
            Field::District => "所属区",
            Field::Street => "街道",
            Field::Hukou => "户籍类型",
            Field::Phone => "联系电话",
            Field::Education => "文化程度",
            Field::EmploymentStatus => "就业状态",
        }
    }

    /// Whether a file must have a column for this field and every row a value.
    pub fn is_required(self) -> bool {
        Field::REQUIRED.contains(&self)
    }

    /// Position in [`Field::ALL`], used to index per-field tables.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Header names accepted for this field, written as [`header_key`]
    /// leaves them (simplified characters, lower case, no spaces or
    /// punctuation), so that one comparison covers the variants people type.
    fn header_keys(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["姓名", "name", "fullname"],
            Field::IdNumber => &[
                "身份证号",
                "身份证号码",
                "公民身份号码",
                "身份证",
                "idnumber",
                "idno",
                "idcard",
                "idcardnumber",
                "residentid",
            ],
            Field::CertificateNumber => &[
                "残疾证号",
                "残疾人证号",
                "残疾证号码",
                "残疾人证号码",
                "残疾证",
                "残疾人证",
                "certificatenumber",
                "certificateno",
                "certificate",
                "disabilitycertificate",
                "disabilitycertificatenumber",
            ],
            Field::District => &[
                "所属区",
                "所属区县",
                "所在区",
                "所在区县",
                "区县",
                "区",
                "district",
                "districtcode",
            ],
            Field::Street => &[
                "街道",
                "街道乡镇",
                "乡镇街道",
                "街乡镇",
                "街镇",
                "所属街道",
                "street",
                "township",
                "streettownship",
            ],
            Field::Hukou => &[
                "户籍类型",
                "户口类型",
                "户籍性质",
                "户口性质",
                "hukou",
                "hukoutype",
                "householdtype",
            ],
            Field::Phone => &[
                "联系电话",
                "手机号",
                "手机",
                "手机号码",
                "电话",
                "电话号码",
                "联系方式",
                "phone",
                "phonenumber",
                "mobile",
                "mobilephone",
                "telephone",
            ],
            Field::Education => &["文化程度", "学历", "education", "educationlevel"],
            Field::EmploymentStatus => &["就业状态", "就业情况", "employmentstatus", "employment"],
        }
    }

    /// The field a header cell names, if any. Surrounding spaces,
    /// full-width characters, traditional characters, case, a hint in
    /// brackets (`户籍类型（城镇/农村）`) and required-field marks (`*姓名`)
    /// are all ignored.
    pub fn from_header(header: &str) -> Option<Field> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        Field::ALL
            .into_iter()
            .find(|field| field.header_keys().contains(&key.as_str()))
    }
}

/// Reduces a header cell to the form [`Field::header_keys`] lists.
fn header_key(header: &str) -> String {
    let text = fast2s::convert(&normalize_text(header.trim_start_matches('\u{feff}')));
    let mut key = String::with_capacity(text.len());
    // Depth of brackets: a hint inside them is not part of the name.
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            // Separators and marks that templates add around the name.
            '_' | '-' | '/' | '\\' | '*' | ':' | '.' | '、' | '※' => {}
            _ if c.is_whitespace() => {}
            _ => key.extend(c.to_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_people_write_are_recognised() {
        let cases = [
            ("姓名", Some(Field::Name)),
            (" 姓名 ", Some(Field::Name)),
            ("\u{feff}姓名", Some(Field::Name)),
            ("*姓名", Some(Field::Name)),
            ("姓　名", Some(Field::Name)),
            ("Name", Some(Field::Name)),
            ("ＮＡＭＥ", Some(Field::Name)),
            ("身份证号", Some(Field::IdNumber)),
            ("身份证号码", Some(Field::IdNumber)),
            ("身份證號碼", Some(Field::IdNumber)),
            ("id_number", Some(Field::IdNumber)),
            ("ID Number", Some(Field::IdNumber)),
            ("残疾证号", Some(Field::CertificateNumber)),
            ("残疾人证号", Some(Field::CertificateNumber)),
            ("殘疾證號", Some(Field::CertificateNumber)),
            ("certificate_number", Some(Field::CertificateNumber)),
            ("所属区", Some(Field::District)),
            ("所属区县", Some(Field::District)),
            ("所屬區", Some(Field::District)),
            ("所属区（代码或名称）", Some(Field::District)),
            ("DISTRICT", Some(Field::District)),
            ("街道", Some(Field::Street)),
            ("街道(乡镇)", Some(Field::Street)),
            ("街道/乡镇", Some(Field::Street)),
            ("street", Some(Field::Street)),
            ("户籍类型", Some(Field::Hukou)),
            ("户籍类型 (城镇/农村)", Some(Field::Hukou)),
            ("户口类型", Some(Field::Hukou)),
            ("hukou", Some(Field::Hukou)),
            ("联系电话", Some(Field::Phone)),
            ("手机号", Some(Field::Phone)),
            ("手机", Some(Field::Phone)),
            ("聯繫電話", Some(Field::Phone)),
            ("Phone", Some(Field::Phone)),
            ("文化程度", Some(Field::Education)),
            ("education", Some(Field::Education)),
            ("就业状态", Some(Field::EmploymentStatus)),
            ("就业状态（未就业/已就业）", Some(Field::EmploymentStatus)),
            ("Employment_Status", Some(Field::EmploymentStatus)),
            ("employment status", Some(Field::EmploymentStatus)),
            // Not columns we read.
            ("", None),
            ("序号", None),
            ("备注", None),
            ("2023年和平区残疾人就业登记表", None),
            ("（城镇/农村）", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Field::from_header(header), expected, "header {header:?}");
        }
    }

    #[test]
    fn own_headers_and_names_round_trip() {
        for field in Field::ALL {
            assert_eq!(Field::from_header(field.header(Lang::Zh)), Some(field));
            assert_eq!(Field::from_header(field.header(Lang::En)), Some(field));
            assert_eq!(Field::from_name(field.name()), Some(field));
            assert_eq!(Field::ALL[field.index()], field);
        }
        assert_eq!(Field::from_name("file"), None);
    }

    #[test]
    fn no_header_key_belongs_to_two_fields() {
        for (position, field) in Field::ALL.iter().enumerate() {
            for key in field.header_keys() {
                assert_eq!(header_key(key), *key, "key {key} is not in key form");
                for other in &Field::ALL[position + 1..] {
                    assert!(!other.header_keys().contains(key), "key {key}");
                }
            }
        }
    }
}
