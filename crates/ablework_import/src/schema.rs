//! The columns of each kind of spreadsheet AbleWork imports, and the header
//! names that find them. One table per kind drives the header search, the
//! normalisation of each cell, the templates and the error messages.

use ablework_domain::lang::Lang;
use ablework_domain::normalize::normalize_text;

use crate::values;

/// How a column's cells are normalised after the cleaning every cell gets
/// (invisible characters removed, full-width forms made half-width,
/// trimmed, `="…"` unwrapped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A person's or an organisation's name: runs of spaces become one and
    /// padding between Chinese characters goes; characters are kept as
    /// written (a name is written as its holder writes it).
    Name,
    /// An identifier or number: a leading `'` goes, letters are made upper
    /// case, and inner spaces go; scientific notation is marked as a
    /// number the spreadsheet mangled.
    Code,
    /// A place: simplified characters, spaces collapsed as in [`Value::Name`].
    Place,
    /// A vocabulary word, a district, a yes or no: simplified characters.
    Word,
    /// Free text (an address, skills): kept as cleaned.
    Text,
}

impl Value {
    /// Applies this normalisation to a cleaned cell.
    pub(crate) fn normalise(self, cleaned: &str) -> String {
        match self {
            Value::Name => values::collapse_spaces(cleaned),
            Value::Code => values::number_text(cleaned)
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect(),
            Value::Place => values::collapse_spaces(&values::simplified(cleaned)),
            Value::Word => values::simplified(cleaned),
            Value::Text => cleaned.to_owned(),
        }
    }
}

/// One column of a kind of spreadsheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The field name (`credit_code`): error reports use it, and it is the
    /// English header.
    pub name: &'static str,
    /// The Chinese header.
    pub zh: &'static str,
    /// Other header names accepted, in the form [`header_key`] leaves them
    /// (simplified, lower case, no spaces, punctuation or bracketed hints).
    pub aliases: &'static [&'static str],
    /// Whether a file must have this column and every row a value in it.
    pub required: bool,
    /// How its cells are normalised.
    pub value: Value,
    /// What to write in it, for templates: Chinese and English.
    pub hint: (&'static str, &'static str),
}

impl Column {
    /// The header shown to people: Chinese, or the field name in English.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.name,
        }
    }

    /// What to write in the column, in `lang`.
    pub fn hint(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.hint.0,
            Lang::En => self.hint.1,
        }
    }

    /// Whether a header cell, reduced by [`header_key`], names this column.
    pub(crate) fn matches(&self, key: &str) -> bool {
        header_key(self.name) == key || header_key(self.zh) == key || self.aliases.contains(&key)
    }
}

/// The column of `columns` a header cell names, if any. Surrounding
/// spaces, full-width characters, traditional characters, case, a hint in
/// brackets (`户籍类型（城镇/农村）`) and required-field marks (`*姓名`)
/// are all ignored.
pub fn column_for_header(columns: &[Column], header: &str) -> Option<usize> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    columns.iter().position(|column| column.matches(&key))
}

/// Reduces a header cell to the form [`Column::aliases`] lists.
pub(crate) fn header_key(header: &str) -> String {
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

/// The ID-number header names, shared by people and outcomes.
const ID_NUMBER_ALIASES: &[&str] = &[
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "身份证",
    "idnumber",
    "idno",
    "idcard",
    "idcardnumber",
    "residentid",
];

/// The district header names, shared by people, employers and postings.
const DISTRICT_ALIASES: &[&str] = &[
    "所属区",
    "所属区县",
    "所在区",
    "所在区县",
    "区县",
    "区",
    "district",
    "districtcode",
];

/// The header names of an employer's credit code in files that list
/// something else (postings, outcomes).
const EMPLOYER_CODE_ALIASES: &[&str] = &[
    "统一社会信用代码",
    "单位统一社会信用代码",
    "用人单位统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "单位信用代码",
    "uscc",
    "creditcode",
    "employercreditcode",
    "employeruscc",
];

/// The ID-number column of files that name registered people (outcomes,
/// enrolments).
const REGISTERED_ID_NUMBER: Column = Column {
    name: "id_number",
    zh: "身份证号",
    aliases: ID_NUMBER_ALIASES,
    required: true,
    value: Value::Code,
    hint: (
        "已登记人员的身份证号",
        "the ID number of a registered person",
    ),
};

/// The district hint, shared.
const DISTRICT_HINT: (&str, &str) = (
    "区名（如 和平区）或区划代码（如 120101）",
    "a district name (和平区) or code (120101)",
);

/// The yes-or-no hint, shared.
const YES_NO_HINT: (&str, &str) = ("是 / 否，空白为否", "yes / no; blank is no");

/// The people spreadsheet (CONTRACT.md, `import persons`), in
/// [`crate::Field::ALL`] order.
pub(crate) const PERSON_COLUMNS: [Column; 9] = [
    Column {
        name: "name",
        zh: "姓名",
        aliases: &["姓名", "name", "fullname"],
        required: true,
        value: Value::Name,
        hint: ("姓名", "the person's name"),
    },
    Column {
        name: "id_number",
        zh: "身份证号",
        aliases: ID_NUMBER_ALIASES,
        required: true,
        value: Value::Code,
        hint: ("18 位身份证号", "the 18-character resident ID number"),
    },
    Column {
        name: "certificate_number",
        zh: "残疾证号",
        aliases: &[
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
        required: true,
        value: Value::Code,
        hint: (
            "20 位：身份证号 + 类别 + 等级，可带 B1–B9",
            "20 characters: the ID number, category and level, optionally B1–B9",
        ),
    },
    Column {
        name: "district",
        zh: "所属区",
        aliases: DISTRICT_ALIASES,
        required: true,
        value: Value::Word,
        hint: DISTRICT_HINT,
    },
    Column {
        name: "street",
        zh: "街道",
        aliases: &[
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
        required: false,
        value: Value::Place,
        hint: ("街道或乡镇", "street or township"),
    },
    Column {
        name: "hukou",
        zh: "户籍类型",
        aliases: &[
            "户籍类型",
            "户口类型",
            "户籍性质",
            "户口性质",
            "hukou",
            "hukoutype",
            "householdtype",
        ],
        required: false,
        value: Value::Word,
        hint: ("城镇 / 农村", "urban / rural"),
    },
    Column {
        name: "phone",
        zh: "联系电话",
        aliases: &[
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
        required: false,
        value: Value::Code,
        hint: ("11 位手机号", "an 11-digit mobile number"),
    },
    Column {
        name: "education",
        zh: "文化程度",
        aliases: &["文化程度", "学历", "education", "educationlevel"],
        required: false,
        value: Value::Word,
        hint: (
            "如 初中、高中、大专、本科",
            "such as junior_secondary, college",
        ),
    },
    Column {
        name: "employment_status",
        zh: "就业状态",
        aliases: &["就业状态", "就业情况", "employmentstatus", "employment"],
        required: false,
        value: Value::Word,
        hint: ("未就业 / 已就业", "unemployed / employed"),
    },
];

/// The employers spreadsheet.
pub(crate) const EMPLOYER_COLUMNS: [Column; 9] = [
    Column {
        name: "credit_code",
        zh: "统一社会信用代码",
        aliases: &[
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "统一代码",
            "uscc",
            "creditcode",
            "unifiedsocialcreditcode",
        ],
        required: true,
        value: Value::Code,
        hint: (
            "18 位统一社会信用代码",
            "the 18-character unified social credit code",
        ),
    },
    Column {
        name: "name",
        zh: "单位名称",
        aliases: &[
            "单位名称",
            "用人单位名称",
            "用人单位",
            "单位",
            "名称",
            "employer",
            "employername",
        ],
        required: true,
        value: Value::Name,
        hint: ("登记的单位全称", "the registered name"),
    },
    Column {
        name: "kind",
        zh: "单位类型",
        aliases: &["单位类型", "单位性质", "类型", "type", "employerkind"],
        required: true,
        value: Value::Word,
        hint: (
            "企业、机关、事业单位或社会团体",
            "enterprise, agency, institution or social_org",
        ),
    },
    Column {
        name: "district",
        zh: "所属区",
        aliases: DISTRICT_ALIASES,
        required: true,
        value: Value::Word,
        hint: DISTRICT_HINT,
    },
    Column {
        name: "sector",
        zh: "行业",
        aliases: &["行业", "所属行业", "行业类别", "sector", "industry"],
        required: true,
        value: Value::Word,
        hint: ("如 制造业、批发和零售业", "such as manufacturing, retail"),
    },
    Column {
        name: "staff",
        zh: "在职职工人数",
        aliases: &[
            "在职职工人数",
            "职工人数",
            "在职人数",
            "员工人数",
            "职工总数",
            "staff",
            "staffcount",
            "employees",
            "headcount",
        ],
        required: true,
        value: Value::Code,
        hint: ("整数", "a whole number"),
    },
    Column {
        name: "staffing_quota",
        zh: "编制数",
        aliases: &["编制数", "编制", "核定编制", "staffingquota", "staffing"],
        required: false,
        value: Value::Code,
        hint: (
            "机关、事业单位的编制数；企业留空",
            "agencies and institutions only; blank for others",
        ),
    },
    Column {
        name: "is_school",
        zh: "中小学或幼儿园",
        aliases: &[
            "中小学或幼儿园",
            "是否中小学或幼儿园",
            "中小学幼儿园",
            "是否中小学幼儿园",
            "isschool",
            "school",
        ],
        required: false,
        value: Value::Word,
        hint: YES_NO_HINT,
    },
    Column {
        name: "state_owned",
        zh: "国有企业",
        aliases: &["国有企业", "是否国有企业", "国企", "stateowned", "soe"],
        required: false,
        value: Value::Word,
        hint: YES_NO_HINT,
    },
];

/// The job postings spreadsheet.
pub(crate) const POSTING_COLUMNS: [Column; 14] = [
    Column {
        name: "employer_credit_code",
        zh: "单位统一社会信用代码",
        aliases: EMPLOYER_CODE_ALIASES,
        required: true,
        value: Value::Code,
        hint: (
            "已登记单位的统一社会信用代码",
            "the credit code of a registered employer",
        ),
    },
    Column {
        name: "title",
        zh: "岗位名称",
        aliases: &[
            "岗位名称",
            "岗位",
            "职位",
            "职位名称",
            "title",
            "jobtitle",
            "position",
        ],
        required: true,
        value: Value::Name,
        hint: (
            "同一单位的岗位名称不重复；再次导入按名称更新",
            "unique within the employer; a later import updates the posting of that title",
        ),
    },
    Column {
        name: "occupation",
        zh: "职业类别",
        aliases: &[
            "职业类别",
            "职业",
            "职业分类",
            "职业代码",
            "occupation",
            "isco",
            "occupationcode",
        ],
        required: true,
        value: Value::Word,
        hint: (
            "ISCO-08 中类代码（如 41）或名称",
            "an ISCO-08 sub-major group code (41) or name",
        ),
    },
    Column {
        name: "district",
        zh: "工作地点所属区",
        aliases: &[
            "工作地点所属区",
            "工作所在区",
            "工作区",
            "工作地区",
            "所属区",
            "所在区",
            "区",
            "district",
            "districtcode",
        ],
        required: true,
        value: Value::Word,
        hint: DISTRICT_HINT,
    },
    Column {
        name: "address",
        zh: "工作地址",
        aliases: &[
            "工作地址",
            "地址",
            "工作地点",
            "address",
            "workaddress",
            "workplace",
        ],
        required: true,
        value: Value::Place,
        hint: ("工作地点的地址", "the workplace's address"),
    },
    Column {
        name: "hours",
        zh: "工作时间",
        aliases: &["工作时间", "工时", "工时制度", "hours", "workinghours"],
        required: true,
        value: Value::Word,
        hint: ("如 全日制、非全日制", "such as full_time, part_time"),
    },
    Column {
        name: "monthly_wage",
        zh: "月工资",
        aliases: &[
            "月工资",
            "月薪",
            "工资",
            "薪资",
            "monthlywage",
            "wage",
            "salary",
        ],
        required: true,
        value: Value::Code,
        hint: ("月工资，整数元", "monthly wage in whole yuan"),
    },
    Column {
        name: "posts",
        zh: "招聘人数",
        aliases: &[
            "招聘人数",
            "人数",
            "岗位数",
            "招聘数量",
            "posts",
            "openings",
            "vacancies",
        ],
        required: true,
        value: Value::Code,
        hint: ("整数，至少 1", "a whole number, at least 1"),
    },
    Column {
        name: "education_required",
        zh: "学历要求",
        aliases: &["学历要求", "最低学历", "educationrequired", "education"],
        required: false,
        value: Value::Word,
        hint: (
            "如 高中、大专；空白为不限",
            "such as senior_secondary; blank for none",
        ),
    },
    Column {
        name: "skills",
        zh: "技能要求",
        aliases: &["技能要求", "技能", "skills", "skillsrequired"],
        required: false,
        value: Value::Text,
        hint: ("用逗号或顿号分隔", "separated by commas"),
    },
    Column {
        name: "demands",
        zh: "功能要求",
        aliases: &[
            "功能要求",
            "岗位功能要求",
            "身体要求",
            "demands",
            "functionaldemands",
        ],
        required: false,
        value: Value::Word,
        hint: (
            "要求：程度，用顿号分隔，如 久站：经常、搬举：偶尔",
            "demand:level pairs separated by commas, such as standing:frequent, lifting:occasional",
        ),
    },
    Column {
        name: "accommodations",
        zh: "便利措施",
        aliases: &[
            "便利措施",
            "合理便利",
            "无障碍便利",
            "accommodations",
            "accommodation",
        ],
        required: false,
        value: Value::Word,
        hint: (
            "用顿号分隔，如 无障碍通道、弹性工作时间",
            "separated by commas, such as step_free, flexible_hours",
        ),
    },
    Column {
        name: "remote_possible",
        zh: "可居家办公",
        aliases: &[
            "可居家办公",
            "居家办公",
            "可远程",
            "远程",
            "remotepossible",
            "remote",
        ],
        required: false,
        value: Value::Word,
        hint: YES_NO_HINT,
    },
    Column {
        name: "reserved_for_disabled",
        zh: "残疾人专岗",
        aliases: &["残疾人专岗", "专岗", "reservedfordisabled", "reserved"],
        required: false,
        value: Value::Word,
        hint: YES_NO_HINT,
    },
];

/// The employment outcomes spreadsheet.
pub(crate) const OUTCOME_COLUMNS: [Column; 8] = [
    REGISTERED_ID_NUMBER,
    Column {
        name: "started_on",
        zh: "就业日期",
        aliases: &[
            "就业日期",
            "就业时间",
            "开始日期",
            "入职日期",
            "入职时间",
            "上岗日期",
            "startedon",
            "startdate",
            "start",
        ],
        required: true,
        value: Value::Text,
        hint: (
            "开始工作的日期，如 2024-03-01",
            "the first day of work, such as 2024-03-01",
        ),
    },
    Column {
        name: "form",
        zh: "就业形式",
        aliases: &["就业形式", "就业方式", "form", "employmentform"],
        required: true,
        value: Value::Word,
        hint: ("如 按比例就业、灵活就业", "such as quota, flexible"),
    },
    Column {
        name: "employer_credit_code",
        zh: "单位统一社会信用代码",
        aliases: EMPLOYER_CODE_ALIASES,
        required: false,
        value: Value::Code,
        hint: (
            "已登记单位的代码；个体、灵活就业等可留空",
            "a registered employer's code; blank for self-employment and the like",
        ),
    },
    Column {
        name: "measure",
        zh: "计入措施",
        aliases: &[
            "计入措施",
            "措施",
            "帮扶措施",
            "就业措施",
            "measure",
            "planmeasure",
        ],
        required: false,
        value: Value::Word,
        hint: (
            "有单位时按单位类型自动计入，可留空；无单位时必填",
            "worked out from the employer's kind when there is one; required otherwise",
        ),
    },
    Column {
        name: "contract_months",
        zh: "合同期限（月）",
        aliases: &[
            "合同期限",
            "合同月数",
            "劳动合同期限",
            "contractmonths",
            "contract",
        ],
        required: false,
        value: Value::Code,
        hint: ("月数；无固定期限留空", "months; blank for open-ended"),
    },
    Column {
        name: "monthly_wage",
        zh: "月工资",
        aliases: &["月工资", "月薪", "工资", "monthlywage", "wage", "salary"],
        required: false,
        value: Value::Code,
        hint: ("整数元", "whole yuan"),
    },
    Column {
        name: "insured",
        zh: "缴纳社会保险",
        aliases: &[
            "缴纳社会保险",
            "是否缴纳社会保险",
            "社会保险",
            "社保",
            "是否缴纳社保",
            "参保",
            "insured",
            "socialinsurance",
        ],
        required: false,
        value: Value::Word,
        hint: ("是 / 否，空白为不清楚", "yes / no; blank if not known"),
    },
];

/// The training enrolments spreadsheet: a course's trainees and their
/// progress.
pub(crate) const ENROLMENT_COLUMNS: [Column; 8] = [
    Column {
        name: "course",
        zh: "课程编号",
        aliases: &[
            "课程编号",
            "培训课程编号",
            "课程号",
            "课程id",
            "course",
            "courseid",
            "courseno",
            "coursenumber",
        ],
        required: true,
        value: Value::Code,
        hint: (
            "课程的编号：课程页面地址 /programme-activities/12 中的 12",
            "the course's record number: 12 in its page's address /programme-activities/12",
        ),
    },
    REGISTERED_ID_NUMBER,
    Column {
        name: "name",
        zh: "姓名",
        aliases: &["姓名", "学员姓名", "name", "fullname", "traineename"],
        required: true,
        value: Value::Name,
        hint: (
            "与登记的姓名一致，用来核对身份证号",
            "as registered; it checks the ID number",
        ),
    },
    Column {
        name: "joined_on",
        zh: "入学日期",
        aliases: &[
            "入学日期",
            "入学时间",
            "报到日期",
            "加入日期",
            "参训日期",
            "joinedon",
            "joindate",
            "enrolledon",
            "enrolmentdate",
            "enrollmentdate",
        ],
        required: true,
        value: Value::Text,
        hint: ("如 2024-03-01", "such as 2024-03-01"),
    },
    Column {
        name: "status",
        zh: "状态",
        aliases: &["状态", "学员状态", "培训状态", "学习状态", "status"],
        required: false,
        value: Value::Word,
        hint: (
            "在册、已结业或已退出；空白只登记入学",
            "active, completed or withdrawn; blank only enrols",
        ),
    },
    Column {
        name: "ended_on",
        zh: "结业或退出日期",
        aliases: &[
            "结业或退出日期",
            "结业日期",
            "退出日期",
            "结束日期",
            "结业时间",
            "endedon",
            "enddate",
            "completedon",
        ],
        required: false,
        value: Value::Text,
        hint: (
            "已结业或已退出时必填，不早于入学日期",
            "required when completed or withdrawn; not before joining",
        ),
    },
    Column {
        name: "sessions_attended",
        zh: "出勤次数",
        aliases: &[
            "出勤次数",
            "出勤",
            "上课次数",
            "sessionsattended",
            "sessions",
            "attendance",
        ],
        required: false,
        value: Value::Code,
        hint: ("整数", "a whole number"),
    },
    Column {
        name: "certificate",
        zh: "证书编号",
        aliases: &[
            "证书编号",
            "证书号",
            "结业证书编号",
            "证书",
            "certificate",
            "certificateno",
            "certificatenumber",
        ],
        required: false,
        value: Value::Code,
        hint: (
            "结业时取得的证书编号；只有已结业可填",
            "the certificate earned on completion; completed trainees only",
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_belongs_to_two_columns_of_a_kind() {
        for columns in [
            &PERSON_COLUMNS[..],
            &EMPLOYER_COLUMNS[..],
            &POSTING_COLUMNS[..],
            &OUTCOME_COLUMNS[..],
            &ENROLMENT_COLUMNS[..],
        ] {
            for (position, column) in columns.iter().enumerate() {
                let keys = column
                    .aliases
                    .iter()
                    .map(|alias| (*alias).to_owned())
                    .chain([header_key(column.name), header_key(column.zh)]);
                for key in keys {
                    assert_eq!(header_key(&key), key, "key {key} is not in key form");
                    for (other_position, other) in columns.iter().enumerate() {
                        if other_position != position {
                            assert!(
                                !other.matches(&key),
                                "{key}: {} and {}",
                                column.name,
                                other.name
                            );
                        }
                    }
                }
                assert_eq!(column_for_header(columns, column.zh), Some(position));
                assert_eq!(column_for_header(columns, column.name), Some(position));
            }
        }
    }
}
