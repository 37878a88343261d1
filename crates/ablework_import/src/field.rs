//! The columns of a people spreadsheet and the header names that find them.

use ablework_domain::lang::Lang;

use crate::schema::{Column, PERSON_COLUMNS, column_for_header};

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
        self.column().name
    }

    /// The field's column in the people schema.
    pub(crate) fn column(self) -> &'static Column {
        &PERSON_COLUMNS[self.index()]
    }

    /// The field with this contract name.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }

    /// The column header people are shown: the Chinese header for Chinese
    /// readers, the contract name for English ones (it is also the English
    /// header a file may use).
    pub fn header(self, lang: Lang) -> &'static str {
        self.column().header(lang)
    }

    /// Whether a file must have a column for this field and every row a value.
    pub fn is_required(self) -> bool {
        Field::REQUIRED.contains(&self)
    }

    /// Position in [`Field::ALL`], used to index per-field tables.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The field a header cell names, if any. Surrounding spaces,
    /// full-width characters, traditional characters, case, a hint in
    /// brackets (`户籍类型（城镇/农村）`) and required-field marks (`*姓名`)
    /// are all ignored.
    pub fn from_header(header: &str) -> Option<Field> {
        column_for_header(&PERSON_COLUMNS, header).map(|index| Field::ALL[index])
    }
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
    fn the_fields_are_the_people_columns_in_order() {
        assert_eq!(Field::ALL.len(), PERSON_COLUMNS.len());
        for field in Field::ALL {
            assert_eq!(field.is_required(), field.column().required, "{field:?}");
        }
    }
}
