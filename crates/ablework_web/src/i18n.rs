//! The interface text in Chinese (default) and English.
//!
//! Every string a page shows comes from [`MESSAGES`] by key. A test reads
//! every template and fails if a key it uses is missing, so neither language
//! can fall behind.

use std::collections::HashMap;
use std::sync::LazyLock;

use ablework_domain::lang::Lang;

/// `(key, Chinese, English)`.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "app.name",
        "AbleWork 残疾人就业服务平台",
        "AbleWork employment service",
    ),
    (
        "app.tagline",
        "天津市促进残疾人就业三年行动（2022—2024年）",
        "Tianjin three-year action plan for the employment of persons with disabilities (2022–2024)",
    ),
    ("skip", "跳到主要内容", "Skip to main content"),
    ("nav.label", "主导航", "Main navigation"),
    ("nav.home", "首页", "Home"),
    ("nav.persons", "人员", "People"),
    ("nav.audit", "审计日志", "Audit log"),
    ("nav.account", "我的账户", "My account"),
    ("nav.api", "接口文档", "API reference"),
    ("nav.login", "登录", "Log in"),
    ("nav.logout", "退出登录", "Log out"),
    ("lang.switch_label", "语言", "Language"),
    ("lang.other", "English", "中文"),
    ("signed_in_as", "当前用户", "Signed in as"),
    (
        "footer.privacy",
        "本系统处理的残疾人信息属于敏感个人信息，默认脱敏显示，所有查看与修改均有记录。",
        "Disability data is sensitive personal information: it is masked by default, and every view and change is recorded.",
    ),
    ("footer.print", "打印本页", "Print this page"),
    ("error.summary", "请修正以下问题", "There is a problem"),
    ("error.not_found.title", "页面不存在", "Page not found"),
    (
        "error.not_found.body",
        "您要找的页面或记录不存在，或不在您的权限范围内。",
        "The page or record you asked for does not exist, or is not within your access.",
    ),
    (
        "error.forbidden.title",
        "没有权限",
        "You do not have access",
    ),
    (
        "error.forbidden.body",
        "您的角色不能使用此功能。如需使用，请联系市残联管理员。",
        "Your role cannot use this. Ask a city administrator if you need it.",
    ),
    ("error.internal.title", "系统出错了", "Something went wrong"),
    (
        "error.internal.body",
        "请稍后再试。如果问题仍然存在，请联系管理员并提供请求编号：",
        "Please try again later. If it keeps happening, contact an administrator with this request number:",
    ),
    ("error.csrf.title", "表单已过期", "The form has expired"),
    (
        "error.csrf.body",
        "为了您的安全，请返回重新提交。",
        "For your safety, go back and submit it again.",
    ),
    ("error.back_home", "返回首页", "Go to the home page"),
    ("login.title", "登录", "Log in"),
    (
        "login.intro",
        "请使用您的账户登录。",
        "Log in with your account.",
    ),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Log in"),
    (
        "login.failed",
        "用户名或密码不正确",
        "The username or password is not right",
    ),
    (
        "login.throttled",
        "登录失败次数过多，请 15 分钟后再试",
        "Too many failed attempts: try again in 15 minutes",
    ),
    (
        "login.required",
        "请输入用户名和密码",
        "Enter your username and password",
    ),
    ("login.demo_accounts", "演示账户", "Demo accounts"),
    (
        "login.demo_password",
        "所有演示账户的密码均为",
        "Every demo account's password is",
    ),
    ("login.logged_out", "您已退出登录。", "You have logged out."),
    (
        "landing.title",
        "让每一位有意愿、有能力的残疾人都能就业",
        "Work for every person with a disability who wants it",
    ),
    (
        "landing.body",
        "AbleWork 支持市、区残联、用人单位、培训机构和残疾人求职者，共同完成全市城乡新增残疾人就业 1.5 万人的目标。",
        "AbleWork brings together the city and district federations, employers, training institutions and disabled job seekers to reach 15,000 new jobs across the city.",
    ),
    ("home.title", "首页", "Home"),
    ("home.welcome", "欢迎", "Welcome"),
    ("comma", "，", ", "),
    ("home.role", "角色", "Role"),
    ("home.scope", "工作范围", "You work with"),
    ("home.scope.city", "全市", "the whole city"),
    ("home.scope.district", "本区", "your district"),
    ("home.scope.org", "本单位", "your organisation"),
    ("home.scope.self", "本人信息", "your own record"),
    (
        "home.people_by_district",
        "各区登记人数",
        "People registered by district",
    ),
    (
        "home.people_total",
        "登记人数合计",
        "People registered in all",
    ),
    ("home.district", "区", "District"),
    ("home.count", "人数", "People"),
    ("home.tasks", "常用功能", "What you can do"),
    (
        "home.task.persons",
        "查找和查看残疾人信息",
        "Find and view people's records",
    ),
    (
        "home.task.audit",
        "查看谁在何时查看或修改了哪些信息",
        "See who viewed or changed which records, and when",
    ),
    (
        "home.task.account",
        "查看账户信息与接口令牌",
        "See your account and API tokens",
    ),
    (
        "home.task.api",
        "对接其他系统的接口说明",
        "How other systems connect to AbleWork",
    ),
    (
        "home.employer.body",
        "用人单位的按比例就业申报、岗位发布和匹配功能即将开放。",
        "Quota declarations, job postings and matching for employers open soon.",
    ),
    (
        "home.institution.body",
        "培训课程、辅助性就业项目和学员管理功能即将开放。",
        "Courses, auxiliary-employment projects and participants open soon.",
    ),
    (
        "home.seeker.body",
        "您可以查看本人的登记信息。求职需求登记与岗位推荐即将开放。",
        "You can see your own record. Registering what work you want, and job suggestions, open soon.",
    ),
    ("home.seeker.my_record", "查看我的登记信息", "See my record"),
    (
        "home.seeker.no_record",
        "您的账户尚未关联登记信息，请联系所在区残联。",
        "Your account is not linked to a record yet: contact your district federation.",
    ),
    ("persons.title", "人员", "People"),
    ("persons.search", "查找人员", "Find people"),
    ("persons.q", "姓名或身份证号", "Name or ID number"),
    (
        "persons.q.hint",
        "输入姓名中的字，或完整的身份证号",
        "Part of a name, or a whole ID number",
    ),
    ("persons.district", "所属区", "District"),
    ("persons.category", "残疾类别", "Disability category"),
    ("persons.status", "就业状态", "Employment status"),
    ("persons.sort", "排序", "Sort by"),
    (
        "persons.sort.registered_desc",
        "最近登记在前",
        "Most recently registered",
    ),
    (
        "persons.sort.registered_asc",
        "最早登记在前",
        "Earliest registered",
    ),
    ("persons.sort.name", "姓名", "Name"),
    ("persons.sort.age_asc", "年龄从小到大", "Youngest first"),
    ("persons.sort.age_desc", "年龄从大到小", "Oldest first"),
    ("persons.any", "全部", "Any"),
    ("persons.apply", "查找", "Search"),
    ("persons.clear", "清除条件", "Clear"),
    ("persons.caption", "人员列表", "People"),
    ("persons.found", "共找到", "Found"),
    ("persons.found_unit", "人", "people"),
    (
        "persons.empty",
        "没有找到符合条件的人员。请减少查找条件再试。",
        "No one matches. Try fewer conditions.",
    ),
    ("persons.name", "姓名", "Name"),
    ("persons.id_number", "身份证号", "ID number"),
    ("persons.certificate", "残疾证号", "Certificate number"),
    ("persons.sex", "性别", "Sex"),
    ("persons.age", "年龄", "Age"),
    ("persons.working_age", "劳动年龄", "Working age"),
    ("persons.level", "等级", "Level"),
    ("persons.street", "街道/乡镇", "Street or township"),
    ("persons.hukou", "户籍类型", "Household type"),
    ("persons.phone", "联系电话", "Phone"),
    ("persons.education", "文化程度", "Education"),
    ("persons.registered_on", "登记日期", "Registered on"),
    ("persons.view", "查看", "View"),
    ("persons.yes", "是", "Yes"),
    ("persons.no", "否", "No"),
    (
        "persons.masked_note",
        "证件号码和姓名已脱敏显示。",
        "ID numbers and names are masked.",
    ),
    ("persons.detail", "人员信息", "Person's record"),
    ("persons.basic", "基本信息", "Basic information"),
    ("persons.unmask", "查看完整信息", "Show full details"),
    (
        "persons.unmask.reason",
        "查看原因",
        "Why you need the full details",
    ),
    (
        "persons.unmask.hint",
        "将记录您的姓名、时间和原因",
        "Your name, the time and your reason will be recorded",
    ),
    ("persons.unmask.submit", "显示完整信息", "Show full details"),
    (
        "persons.unmasked",
        "完整信息（已记录本次查看）",
        "Full details (this view has been recorded)",
    ),
    ("persons.back", "返回人员列表", "Back to people"),
    ("pagination.label", "分页", "Pages"),
    ("pagination.previous", "上一页", "Previous page"),
    ("pagination.next", "下一页", "Next page"),
    ("pagination.page", "第", "Page"),
    ("pagination.of", "页，共", "of"),
    ("pagination.pages", "页", ""),
    ("audit.title", "审计日志", "Audit log"),
    (
        "audit.intro",
        "记录每一次登录、查看、导出、显示完整信息和数据修改。日志只能追加，且以哈希链防篡改。",
        "Every login, view, export, unmask and change is recorded. The log is append-only and hash-chained so tampering shows.",
    ),
    ("audit.actor", "操作人", "Who"),
    ("audit.action", "操作", "Action"),
    (
        "audit.action.hint",
        "例如 person.read，或以点结尾的前缀 person.",
        "For example person.read, or a prefix ending in a dot: person.",
    ),
    ("audit.entity", "对象类型", "Record type"),
    ("audit.entity_id", "对象编号", "Record id"),
    ("audit.from", "开始日期", "From"),
    ("audit.until", "结束日期", "Until"),
    (
        "audit.date_hint",
        "格式：2024-06-30",
        "For example 2024-06-30",
    ),
    ("audit.at", "时间", "When"),
    ("audit.seq", "序号", "No."),
    ("audit.request", "请求编号", "Request"),
    ("audit.detail", "详情", "Detail"),
    (
        "audit.caption",
        "审计记录（最新在前）",
        "Audit records, newest first",
    ),
    ("audit.empty", "没有符合条件的记录。", "No records match."),
    ("account.title", "我的账户", "My account"),
    ("account.username", "用户名", "Username"),
    ("account.tokens", "接口令牌", "API tokens"),
    (
        "account.tokens.intro",
        "接口令牌用于其他系统调用 AbleWork 接口。令牌只在创建时显示一次，系统仅保存其哈希值。",
        "API tokens let other systems call AbleWork's API. A token is shown once, when it is made; only its hash is kept.",
    ),
    ("account.tokens.prefix", "令牌前缀", "Token begins"),
    ("account.tokens.created", "创建时间", "Created"),
    ("account.tokens.status", "状态", "Status"),
    ("account.tokens.active", "有效", "Active"),
    ("account.tokens.revoked", "已撤销", "Revoked"),
    ("account.tokens.none", "还没有令牌。", "No tokens yet."),
    ("account.tokens.create", "创建新令牌", "Create a new token"),
    ("account.tokens.revoke", "撤销", "Revoke"),
    (
        "account.tokens.new",
        "新令牌（请立即复制，离开本页后将无法再次查看）",
        "New token (copy it now: it will not be shown again)",
    ),
    (
        "account.tokens.revoked_done",
        "令牌已撤销。",
        "The token has been revoked.",
    ),
    ("api.title", "接口文档", "API reference"),
    (
        "api.intro",
        "AbleWork 的 JSON 接口位于 /api/v1/，使用 Authorization: Bearer 令牌认证。机器可读的 OpenAPI 3 文档：",
        "AbleWork's JSON API is under /api/v1/ and authenticated with an Authorization: Bearer token. The machine-readable OpenAPI 3 document:",
    ),
    ("api.errors", "错误格式", "Errors"),
    (
        "api.errors.body",
        "所有错误都返回同一结构，其中 code 是稳定的机器可读代码，fields 指出每个有问题的字段。",
        "Every error has the same shape: code is a stable machine-readable code, and fields names each field that is wrong.",
    ),
    ("api.parameters", "参数", "Parameters"),
    ("api.param.name", "名称", "Name"),
    ("api.param.in", "位置", "In"),
    ("api.param.required", "必填", "Required"),
    ("api.param.description", "说明", "Description"),
    ("api.request_body", "请求体", "Request body"),
    ("api.responses", "响应", "Responses"),
    ("api.status", "状态码", "Status"),
    ("api.schemas", "数据结构", "Schemas"),
    ("api.field", "字段", "Field"),
    ("api.type", "类型", "Type"),
    ("api.contents", "目录", "Contents"),
    ("form.back", "返回", "Back"),
    ("form.save", "保存", "Save"),
    (
        "form.unchanged_hint",
        "留空则保持不变",
        "Leave empty to keep it as it is",
    ),
    ("persons.new", "登记新人员", "Register a person"),
    ("persons.edit", "修改人员信息", "Change a person's record"),
    ("persons.saved", "已保存。", "Saved."),
    ("persons.not_given", "未填写", "Not given"),
    (
        "persons.retirement_group",
        "退休年龄组（女性）",
        "Retirement group (women)",
    ),
    (
        "persons.id_number.hint",
        "18 位身份证号，末位可为 X",
        "18 characters; the last may be X",
    ),
    (
        "persons.certificate.hint",
        "20 位残疾证号：身份证号 + 类别 + 等级，可带 B1–B9 换证后缀",
        "20 characters: the ID number, category and level digits, optionally B1–B9",
    ),
    (
        "persons.inactive",
        "此记录已停用",
        "This record is deactivated",
    ),
    ("persons.export", "导出（已脱敏）", "Export (masked)"),
    (
        "persons.export.hint",
        "导出按当前区筛选，所有导出均有记录。",
        "Exports follow the district filter and are recorded.",
    ),
    (
        "progress.download",
        "下载 Excel 报表（与本页数据一致）",
        "Download the Excel report (the same figures as this page)",
    ),
    ("import.title", "导入人员", "Import people"),
    (
        "import.intro",
        "上传 CSV 或 Excel 文件，第一行为表头（可用中文或英文）。有问题的行会列出行号、字段和原因，其余行照常导入；同一文件重复导入不会产生重复记录。",
        "Upload a CSV or Excel file whose first row holds the headers, in Chinese or English. Rows with problems are listed with their row, field and reason; the other rows are imported. Importing the same file again creates no duplicates.",
    ),
    (
        "import.template",
        "下载 Excel 模板",
        "Download the Excel template",
    ),
    ("import.file", "文件", "File"),
    (
        "import.file.hint",
        "CSV（UTF-8 或 GBK/GB18030）、XLSX、XLS 或 ODS，最大 50 MB",
        "CSV (UTF-8 or GBK/GB18030), XLSX, XLS or ODS, up to 50 MB",
    ),
    (
        "import.file.missing",
        "请选择要导入的文件",
        "Choose a file to import",
    ),
    ("import.encoding", "文本编码（CSV）", "Text encoding (CSV)"),
    ("import.encoding.auto", "自动识别", "Detect"),
    (
        "import.dry_run.label",
        "只检查，不保存",
        "Check only, save nothing",
    ),
    ("import.dry_run", "只检查", "check only"),
    ("import.submit", "导入", "Import"),
    ("import.result", "导入结果", "Result"),
    ("import.read", "读取行数", "Rows read"),
    ("import.inserted", "新增", "Added"),
    ("import.updated", "更新", "Updated"),
    ("import.unchanged", "无变化", "Unchanged"),
    ("import.rejected", "未导入", "Rejected"),
    ("import.rejected_rows", "未导入的行", "Rows not imported"),
    ("import.row", "行号", "Row"),
    ("import.field", "字段", "Field"),
    ("import.reason", "原因", "Reason"),
    ("persons.import", "导入人员", "Import people"),
    ("nav.progress", "就业进展", "Progress"),
    (
        "progress.title",
        "新增就业进展",
        "Progress towards new jobs",
    ),
    ("progress.target", "目标", "Target"),
    ("progress.achieved", "已实现新增就业", "New jobs achieved"),
    (
        "progress.expected",
        "按进度应完成，截至",
        "Expected on pace by",
    ),
    ("progress.status", "进度", "Pace"),
    ("progress.on_track", "符合进度", "On track"),
    ("progress.behind", "落后于进度", "Behind"),
    ("progress.projection", "期末预计", "Projected by the end"),
    ("progress.how", "预测方法", "How this is projected"),
    (
        "progress.legend",
        "蓝色条/线：已实现；橙红色标记：目标或应完成进度；数字为“已实现 / 目标”。",
        "Blue bars and lines: achieved; vermillion marks: the target or the expected pace; numbers read achieved / target.",
    ),
    ("progress.chart_data", "图表数据", "the chart's data"),
    ("progress.by_year", "按年度", "By year"),
    ("progress.by_district", "按区", "By district"),
    ("progress.by_measure", "按措施", "By measure"),
    ("progress.by_form", "按就业形式", "By employment form"),
    ("progress.by_hukou", "按城乡", "Urban and rural"),
    (
        "progress.by_category",
        "按残疾类别",
        "By disability category",
    ),
    ("progress.by_level", "按残疾等级", "By disability level"),
    ("progress.by_sex", "按性别", "By sex"),
    ("progress.by_quarter", "按季度", "By quarter"),
    ("progress.cumulative", "累计进展", "Cumulative progress"),
    ("progress.retention", "稳定就业", "Still in work"),
    (
        "progress.retention.months",
        "就业后月数",
        "Months after starting",
    ),
    (
        "progress.retention.eligible",
        "可统计人数",
        "People who can be counted",
    ),
    ("progress.retention.retained", "仍在就业", "Still in work"),
    ("progress.retention.share", "比例", "Share"),
    ("progress.col.plan", "计划", "Plan"),
    ("progress.col.start", "开始", "Start"),
    ("progress.col.end", "结束", "End"),
    ("progress.col.today", "统计日", "Report day"),
    ("progress.col.month", "月份", "Month"),
    ("progress.col.item", "项目", "Item"),
    ("progress.col.target", "目标", "Target"),
    ("progress.col.achieved", "已实现", "Achieved"),
    ("progress.col.expected", "应完成", "Expected"),
    ("progress.col.status", "进度", "Pace"),
    ("progress.col.cumulative", "累计", "Cumulative"),
    (
        "progress.method.title",
        "统计口径与预测方法",
        "How this is counted and projected",
    ),
    (
        "progress.method.body",
        "预测以已完成月份的累计新增就业为样本，拟合最小二乘直线并外推到期末，区间为 95% 预测区间。少于 3 个完整月份时不作预测。",
        "The projection fits a least-squares line to the cumulative new jobs of the completed months and extends it to the end of the period; the range is the 95% prediction interval. With fewer than three completed months there is no projection.",
    ),
    (
        "progress.counting",
        "新增就业每人每年最多计一次，计入当年首次就业的措施和所在区，分城乡、就业形式统计。",
        "A person counts at most once a year, credited to the measure and district of their first start of work that year.",
    ),
    (
        "home.task.progress",
        "查看新增就业目标完成进展",
        "See progress towards the new-jobs target",
    ),
    ("sex.male", "男", "Male"),
    ("sex.female", "女", "Female"),
];

static CATALOGUE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| {
        MESSAGES
            .iter()
            .map(|(key, zh, en)| (*key, (*zh, *en)))
            .collect()
    });

/// The interface text of one request's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(pub Lang);

impl Text {
    /// The text for a key; the key itself if it is missing (a test keeps
    /// that from happening).
    pub fn get<'k>(&self, key: &'k str) -> &'k str {
        match CATALOGUE.get(key) {
            Some((zh, _)) if self.0 == Lang::Zh => zh,
            Some((_, en)) => en,
            None => key,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn keys_are_unique_and_complete() {
        let mut seen = HashSet::new();
        for (key, zh, en) in MESSAGES {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(!zh.is_empty(), "{key} has no Chinese");
            // An empty English text is allowed only where English needs no word.
            assert!(
                !en.is_empty() || *key == "pagination.pages",
                "{key} has no English"
            );
        }
    }

    #[test]
    fn every_key_used_in_a_template_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for piece in text.split("t.get(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                if !CATALOGUE.contains_key(key) {
                    missing.push(format!("{}: {key}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing keys: {missing:?}");
    }

    #[test]
    fn english_and_chinese_differ() {
        assert_eq!(Text(Lang::Zh).get("nav.home"), "首页");
        assert_eq!(Text(Lang::En).get("nav.home"), "Home");
    }
}
