//! The kinds of spreadsheet AbleWork imports.

use ablework_domain::lang::Lang;

use crate::schema::{
    Column, EMPLOYER_COLUMNS, ENROLMENT_COLUMNS, OUTCOME_COLUMNS, PERSON_COLUMNS, POSTING_COLUMNS,
};

/// What a file lists: people, employers, job postings, employment
/// outcomes or the trainees of skills-training courses. Each kind has its columns ([`ImportKind::columns`]) and its
/// natural key, by which importing the same file again changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImportKind {
    /// Persons with disabilities, keyed by ID number.
    Persons,
    /// Employers, keyed by unified social credit code.
    Employers,
    /// Job postings, keyed by the employer's credit code and the title.
    Postings,
    /// Employment outcomes, keyed by the person's ID number and the day
    /// the work started.
    Outcomes,
    /// Trainees enrolled on skills-training courses and their progress,
    /// keyed by the course and the ID number.
    Enrolments,
}

impl ImportKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Persons,
        ImportKind::Employers,
        ImportKind::Postings,
        ImportKind::Outcomes,
        ImportKind::Enrolments,
    ];

    /// The command-line word: `persons`, `employers`, `postings`,
    /// `outcomes`, `enrolments`.
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Persons => "persons",
            ImportKind::Employers => "employers",
            ImportKind::Postings => "postings",
            ImportKind::Outcomes => "outcomes",
            ImportKind::Enrolments => "enrolments",
        }
    }

    /// The kind a command-line word names.
    pub fn from_code(code: &str) -> Option<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code.trim().to_ascii_lowercase())
    }

    /// What the file lists, for people: `人员`, `Persons`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ImportKind::Persons, Lang::Zh) => "人员",
            (ImportKind::Employers, Lang::Zh) => "用人单位",
            (ImportKind::Postings, Lang::Zh) => "招聘岗位",
            (ImportKind::Outcomes, Lang::Zh) => "就业记录",
            (ImportKind::Enrolments, Lang::Zh) => "培训学员",
            (ImportKind::Persons, Lang::En) => "Persons",
            (ImportKind::Employers, Lang::En) => "Employers",
            (ImportKind::Postings, Lang::En) => "Job postings",
            (ImportKind::Outcomes, Lang::En) => "Employment outcomes",
            (ImportKind::Enrolments, Lang::En) => "Training enrolments",
        }
    }

    /// The columns a file of this kind may have, required ones included,
    /// in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Persons => &PERSON_COLUMNS,
            ImportKind::Employers => &EMPLOYER_COLUMNS,
            ImportKind::Postings => &POSTING_COLUMNS,
            ImportKind::Outcomes => &OUTCOME_COLUMNS,
            ImportKind::Enrolments => &ENROLMENT_COLUMNS,
        }
    }

    /// What makes two rows the same record, for notes and messages.
    pub fn key_description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ImportKind::Persons, Lang::Zh) => "身份证号",
            (ImportKind::Employers, Lang::Zh) => "统一社会信用代码",
            (ImportKind::Postings, Lang::Zh) => "单位统一社会信用代码与岗位名称",
            (ImportKind::Outcomes, Lang::Zh) => "身份证号与就业日期",
            (ImportKind::Enrolments, Lang::Zh) => "课程编号与身份证号",
            (ImportKind::Persons, Lang::En) => "the ID number",
            (ImportKind::Employers, Lang::En) => "the credit code",
            (ImportKind::Postings, Lang::En) => "the employer's credit code and the title",
            (ImportKind::Outcomes, Lang::En) => "the ID number and the start date",
            (ImportKind::Enrolments, Lang::En) => "the course number and the ID number",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::from_code(kind.code()), Some(kind));
            assert!(!kind.label(Lang::Zh).is_empty());
            assert!(kind.columns().iter().any(|column| column.required));
        }
        assert_eq!(
            ImportKind::from_code(" Employers "),
            Some(ImportKind::Employers)
        );
        assert_eq!(
            ImportKind::from_code("enrolments"),
            Some(ImportKind::Enrolments)
        );
        assert_eq!(ImportKind::from_code("people"), None);
    }
}
