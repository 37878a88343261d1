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
    ("nav.employers", "用人单位", "Employers"),
    ("nav.my_employer", "本单位", "My organisation"),
    ("nav.declarations", "按比例就业申报", "Quota declarations"),
    ("nav.quota", "按比例就业", "Quota"),
    ("form.saved", "已保存。", "Saved."),
    ("employers.title", "用人单位", "Employers"),
    ("employers.new", "登记用人单位", "Register an employer"),
    (
        "employers.edit",
        "修改单位信息",
        "Change the employer's details",
    ),
    ("employers.search", "查找用人单位", "Find employers"),
    (
        "employers.q",
        "名称或统一社会信用代码",
        "Name or unified social credit code",
    ),
    (
        "employers.q.hint",
        "可输入名称的一部分，或代码的开头几位。",
        "Part of the name, or the first characters of the code.",
    ),
    ("employers.found", "共找到", "Found"),
    ("employers.found_unit", "家单位。", "employers."),
    (
        "employers.empty",
        "没有符合条件的用人单位。请改变查找条件，或登记新的单位。",
        "No employers match. Change the search, or register a new employer.",
    ),
    (
        "employers.caption",
        "用人单位（按名称排序）",
        "Employers, by name",
    ),
    ("employers.name", "单位名称", "Name"),
    (
        "employers.credit_code",
        "统一社会信用代码",
        "Unified social credit code",
    ),
    (
        "employers.credit_code.hint",
        "18 位，例如 91120101MA05L3XK0C；全角字符和小写字母会自动转换。",
        "18 characters, such as 91120101MA05L3XK0C; full-width characters and lower case are converted.",
    ),
    ("employers.kind", "单位类型", "Kind of employer"),
    (
        "employers.is_school",
        "中小学或幼儿园",
        "School or kindergarten",
    ),
    (
        "employers.is_school.label",
        "本单位是中小学或幼儿园（“机关事业单位至少安排一名残疾人”的要求对其除外）",
        "This is a primary or secondary school or a kindergarten (excepted from the rule that agencies and institutions employ at least one disabled person)",
    ),
    ("employers.staffing_quota", "编制数", "Staffing quota"),
    (
        "employers.staffing_quota.hint",
        "仅机关和事业单位填写；企业和社会团体请留空。",
        "Agencies and public institutions only; leave empty for enterprises and social organisations.",
    ),
    ("employers.staff", "在职职工人数", "In-service staff"),
    (
        "employers.staff.hint",
        "目前的在职职工人数（整数）。",
        "The number of in-service staff today (a whole number).",
    ),
    ("employers.district", "所在区", "District"),
    ("employers.sector", "行业", "Sector"),
    (
        "employers.measure_one",
        "本单位属于“编制 50 人以上的机关、67 人以上的事业单位”，按照行动计划至少应安排一名残疾人就业。",
        "Under the action plan, this agency or institution (staffing of 50 or more for an agency, 67 or more for an institution) must employ at least one disabled person.",
    ),
    (
        "employers.standing",
        "按比例安排残疾人就业情况",
        "Quota standing",
    ),
    ("employers.short_year", "年度：", "data year:"),
    ("employers.short_people", "还差", " still short of"),
    (
        "employers.people_unit",
        "名残疾职工（按全年、单倍计算）；",
        "disabled employees (full-year, counted once); ",
    ),
    ("employers.short_levy", "应缴残疾人就业保障金", "levy due"),
    ("employers.yuan", "元", "CNY"),
    (
        "employers.one_more",
        "如果再安排一名残疾人全年就业，保障金将降为",
        "With one more disabled employee for the whole year, the levy would fall to",
    ),
    ("employers.saving", "（可少缴", " (a saving of"),
    (
        "employers.how_to_reduce",
        "减少差额的办法：向区残联就业服务机构提出用人需求，发布面向残疾人的岗位，或预留岗位参加专场招聘会。",
        "To close the gap: tell your district federation's employment service which posts you can offer, post jobs open to disabled applicants, or reserve posts at a dedicated job fair.",
    ),
    (
        "employers.meets",
        "最近一次申报已达到按比例安排残疾人就业的要求。",
        "The latest declaration meets the quota.",
    ),
    (
        "employers.no_declarations",
        "还没有按比例就业年度申报。",
        "No annual quota declarations yet.",
    ),
    ("employers.declarations", "年度申报", "Annual declarations"),
    (
        "declaration.file_for",
        "填报年度申报：",
        "File the declaration for ",
    ),
    (
        "declaration.new",
        "按比例安排残疾人就业年度申报",
        "Annual quota declaration",
    ),
    ("declaration.title", "年度申报", "annual declaration"),
    ("declaration.year", "数据年度", "Data year"),
    (
        "declaration.year.hint",
        "申报所反映的年份，通常是上一年。",
        "The year the figures describe, usually last year.",
    ),
    (
        "declaration.month_names",
        "1 月,2 月,3 月,4 月,5 月,6 月,7 月,8 月,9 月,10 月,11 月,12 月",
        "January,February,March,April,May,June,July,August,September,October,November,December",
    ),
    (
        "declaration.monthly",
        "各月在职职工人数",
        "In-service staff each month",
    ),
    (
        "declaration.monthly.hint",
        "填写每个月的在职职工人数（整数，不含季节性用工）。",
        "The in-service headcount of each month (whole numbers, without seasonal workers).",
    ),
    ("declaration.month", "月份", "Month"),
    ("declaration.seasonal", "季节性用工", "Seasonal workers"),
    (
        "declaration.seasonal.hint",
        "没有可留空。每行填写人数和工作月数，按月数折算计入职工人数。",
        "Leave empty if none. Each line is a number of people and the months they worked; they count in proportion to their months.",
    ),
    (
        "declaration.seasonal_count",
        "季节性用工人数，第",
        "Seasonal workers, line",
    ),
    (
        "declaration.seasonal_months",
        "工作月数，第",
        "Months worked, line",
    ),
    ("declaration.months_unit", "个月", "months"),
    (
        "declaration.total_wages",
        "全年职工工资总额（元）",
        "Total wages of the year (CNY)",
    ),
    (
        "declaration.total_wages.hint",
        "例如 12000000 或 12000000.50。",
        "For example 12000000 or 12000000.50.",
    ),
    (
        "declaration.social_average_wage",
        "本市上年度社会平均工资（元）",
        "Local social average wage of the year (CNY)",
    ),
    (
        "declaration.social_average_wage.hint",
        "按市人社部门公布的数值填写。",
        "As published by the city's human resources bureau.",
    ),
    (
        "declaration.employees",
        "安排的残疾人职工",
        "Disabled employees",
    ),
    (
        "declaration.employees.hint",
        "每人填写残疾人证号（第二代，20 位）和当年在本单位工作的起止月份，并确认三项条件。空行会被忽略；人数多时可“再加一行”。",
        "For each person give the disability certificate number (second generation, 20 characters) and the first and last month worked here in the year, and confirm the three conditions. Empty rows are ignored; use “Add another row” for more.",
    ),
    ("declaration.employee", "残疾人职工", "Disabled employee"),
    (
        "declaration.certificate",
        "残疾人证号",
        "Disability certificate number",
    ),
    (
        "declaration.from_month",
        "起始月份（1—12）",
        "First month (1–12)",
    ),
    (
        "declaration.to_month",
        "截止月份（1—12）",
        "Last month (1–12)",
    ),
    (
        "declaration.contract_ok.label",
        "签订 1 年以上劳动合同或在编",
        "Contract of a year or more, or a permanent post",
    ),
    (
        "declaration.min_wage_ok.label",
        "工资不低于当地最低工资标准",
        "Paid at least the local minimum wage",
    ),
    (
        "declaration.insured_ok.label",
        "足额缴纳社会保险",
        "Social insurance paid in full",
    ),
    ("declaration.contract_ok", "合同", "Contract"),
    ("declaration.min_wage_ok", "工资", "Wage"),
    ("declaration.insured_ok", "社保", "Insurance"),
    ("declaration.add_row", "再加一行", "Add another row"),
    ("declaration.submit", "提交申报", "Submit the declaration"),
    (
        "declaration.refile_hint",
        "这一年已有申报。改正后重新提交，会替换原有数据并重新审核。出于隐私保护，残疾人证号需要重新填写。",
        "A declaration for this year exists. Submitting again replaces its figures and sends it for review again. For privacy, certificate numbers must be typed again.",
    ),
    ("declaration.status", "状态", "Status"),
    (
        "declaration.status.submitted",
        "待审核",
        "Waiting for review",
    ),
    ("declaration.status.returned", "已退回", "Returned"),
    ("declaration.status.approved", "已审核通过", "Approved"),
    ("declaration.employer", "用人单位", "Employer"),
    ("declaration.headcount", "在职职工人数", "Headcount"),
    ("declaration.required", "应安排人数", "Required"),
    ("declaration.counted", "已安排人数", "Counted"),
    ("declaration.shortfall", "差额人数", "Shortfall"),
    ("declaration.levy", "保障金（元）", "Levy (CNY)"),
    ("declaration.policy", "适用政策", "Policy"),
    ("declaration.declared_on", "申报日期", "Declared on"),
    ("declaration.wage_used", "计征工资（元）", "Wage used (CNY)"),
    ("declaration.assessment", "核定结果", "Assessment"),
    (
        "declaration.explanation",
        "计算依据",
        "How it was worked out",
    ),
    ("declaration.months", "工作月份", "Months"),
    ("declaration.conditions", "条件", "Conditions"),
    ("declaration.counts", "计入", "Counts"),
    (
        "declaration.no_employees",
        "本申报没有残疾人职工。",
        "This declaration lists no disabled employees.",
    ),
    ("declaration.history", "办理记录", "History"),
    ("declaration.when", "时间", "When"),
    ("declaration.who", "办理人", "Who"),
    ("declaration.what", "事项", "What"),
    ("declaration.note", "意见", "Note"),
    (
        "declaration.note.hint",
        "退回时必须写明原因；审核通过时可选填。",
        "Required when returning it; optional when approving.",
    ),
    ("declaration.system", "系统", "System"),
    ("declaration.event.submitted", "提交", "Submitted"),
    (
        "declaration.event.resubmitted",
        "改正后重新提交",
        "Corrected and resubmitted",
    ),
    ("declaration.event.returned", "退回", "Returned"),
    ("declaration.event.approved", "审核通过", "Approved"),
    ("declaration.event.imported", "导入", "Imported"),
    ("declaration.review", "审核", "Review"),
    ("declaration.approve", "审核通过", "Approve"),
    ("declaration.return", "退回修改", "Return for correction"),
    (
        "declaration.returned_hint",
        "这份申报已被退回，请按办理记录中的意见改正后重新提交。",
        "This declaration was returned: correct it as the note in its history says, then submit it again.",
    ),
    (
        "declaration.correct",
        "改正并重新提交",
        "Correct and resubmit",
    ),
    ("declaration.conflicts", "重复计算提示", "Counted twice"),
    (
        "declaration.conflicts.hint",
        "以下人员在同一年度的相同月份也被其他单位申报。同一人同一时段只能计入一家单位，请双方核实。",
        "These people are also declared by another employer for some of the same months. One person counts at one employer at a time: both sides should check.",
    ),
    (
        "declaration.also_declared_by",
        "同时被申报于",
        "also declared by",
    ),
    ("declarations.title", "按比例就业申报", "Quota declarations"),
    ("declarations.search", "筛选申报", "Filter declarations"),
    ("declarations.found", "共", "Found"),
    ("declarations.found_unit", "份申报。", "declarations."),
    (
        "declarations.empty",
        "没有符合条件的申报。",
        "No declarations match.",
    ),
    ("quota.title", "按比例安排残疾人就业", "Quota employment"),
    (
        "quota.lead",
        "审核年度申报，检查机关事业单位安排残疾人情况，测算政策调整的影响。",
        "Review annual declarations, check that agencies and institutions employ disabled people, and test policy changes.",
    ),
    (
        "quota.declarations",
        "待审核和已办理的年度申报",
        "declarations waiting for review and decided",
    ),
    (
        "quota.measure_one",
        "编制 50 人以上的机关、67 人以上的事业单位中尚未安排残疾人的单位",
        "agencies (staffing 50+) and institutions (67+) employing no disabled person",
    ),
    (
        "quota.what_if",
        "用另一套政策参数重新测算一年的全部申报",
        "re-assess a year's declarations under other policy numbers",
    ),
    (
        "quota.policies",
        "政策参数（比例、分档、工资上限、减免）",
        "policy numbers: rate, tiers, wage cap, exemption",
    ),
    (
        "measure_one.title",
        "机关事业单位安排残疾人情况",
        "Agencies and institutions employing disabled people",
    ),
    (
        "measure_one.lead",
        "行动计划要求：编制 50 人以上的机关、编制 67 人以上的事业单位（中小学、幼儿园除外）至少安排一名残疾人就业。以下依据各单位的年度申报。",
        "The plan requires every agency with a staffing quota of 50 or more and every public institution with 67 or more (schools and kindergartens excepted) to employ at least one disabled person. The figures come from the annual declarations.",
    ),
    ("measure_one.covered", "适用单位", "Employers covered"),
    ("measure_one.failing", "尚未安排残疾人", "Employing none"),
    (
        "measure_one.download",
        "下载名单（CSV）",
        "Download the list (CSV)",
    ),
    (
        "measure_one.chart",
        "各区尚未安排残疾人的单位数",
        "Employing none, by district",
    ),
    ("measure_one.over_time", "逐年变化", "Year by year"),
    (
        "measure_one.list",
        "尚未安排残疾人的单位",
        "Employers employing none",
    ),
    (
        "measure_one.none",
        "所有适用单位都已安排残疾人就业。",
        "Every employer covered employs at least one disabled person.",
    ),
    ("measure_one.not_filed", "未申报", "Not filed"),
    ("measure_one.declaration", "申报情况", "Declaration"),
    (
        "measure_one.eligible",
        "符合条件的残疾人职工",
        "Eligible disabled employees",
    ),
    ("what_if.title", "政策测算", "Policy what-if"),
    (
        "what_if.lead",
        "选择一个年度和一套政策参数，与现行政策并列比较保障金总额和未达标单位。",
        "Choose a year and a policy preset to compare the total levy and the employers falling short with the current policy.",
    ),
    ("what_if.policy", "测算用的政策", "Preset to test"),
    ("what_if.run", "测算", "Run"),
    ("what_if.result", "测算结果", "Result"),
    (
        "what_if.choose",
        "请选择年度和政策后点击“测算”。",
        "Choose a year and a preset, then select Run.",
    ),
    (
        "what_if.skipped",
        "无法测算而跳过的申报：",
        "Declarations skipped because they could not be assessed:",
    ),
    ("what_if.total", "合计", "Total"),
    ("what_if.employers", "单位数", "Employers"),
    (
        "what_if.levy_current",
        "现行政策保障金（元）",
        "Levy, current (CNY)",
    ),
    (
        "what_if.levy_alternative",
        "测算政策保障金（元）",
        "Levy, tested (CNY)",
    ),
    ("what_if.difference", "差额（元）", "Difference (CNY)"),
    ("what_if.short_current", "现行未达标", "Short, current"),
    ("what_if.short_alternative", "测算未达标", "Short, tested"),
    ("what_if.newly_short", "新增未达标", "Newly short"),
    (
        "what_if.chart",
        "各区保障金：测算政策与现行政策",
        "Levy by district: tested and current policy",
    ),
    (
        "what_if.legend",
        "条为测算政策下的保障金，竖线为现行政策下的保障金（元）。",
        "Bars: the levy under the tested preset; markers: under the current policy (CNY).",
    ),
    ("what_if.by_district", "按区", "By district"),
    ("what_if.by_kind", "按单位类型", "By kind of employer"),
    ("policies.title", "政策参数", "Policy presets"),
    (
        "policies.lead",
        "每套参数有编号和版本；每次核定都记录所用的参数版本。内置的天津参数不能修改，可复制后另建。",
        "Each preset has an id and a version; every assessment records the version it used. The built-in Tianjin preset cannot be changed, but it can be copied into a new one.",
    ),
    ("policies.new", "新建政策参数", "New policy preset"),
    ("policies.copy", "复制", "Copy"),
    (
        "policies.form_lead",
        "以所选参数为底稿。比例写成小数（1.5% 写 0.015），日期写成 2025-01-01。保存同一编号会生成新版本。",
        "Starts from the chosen preset. Write rates as decimals (1.5% is 0.015) and dates as 2025-01-01. Saving under an existing id makes a new version.",
    ),
    ("policies.name", "名称", "Name"),
    (
        "policies.id",
        "编号（小写字母、数字和连字符）",
        "Id (lower-case letters, digits and hyphens)",
    ),
    ("policies.version", "版本", "Version"),
    ("policies.effective", "有效期", "In force"),
    ("policies.name_zh", "中文名称", "Name in Chinese"),
    ("policies.name_en", "英文名称", "Name in English"),
    ("policies.effective_from", "生效日期", "In force from"),
    (
        "policies.effective_to",
        "失效日期（可留空）",
        "In force until (optional)",
    ),
    ("policies.rate", "安排比例", "Quota rate"),
    (
        "policies.double_disability",
        "按两人计算的残疾等级（该级及更重）",
        "Disability levels counted twice (this level and more severe)",
    ),
    (
        "policies.double_veteran",
        "按两人计算的残疾军人等级（该级及更重）",
        "Veteran levels counted twice (this level and more severe)",
    ),
    (
        "policies.double_weight",
        "加倍计算的倍数",
        "Weight of a double-counted employee",
    ),
    (
        "policies.wage_cap",
        "工资上限（社会平均工资的倍数）",
        "Wage cap (multiple of the social average wage)",
    ),
    ("policies.tiers", "分档征收", "Tiers"),
    (
        "policies.tier_threshold",
        "分档界限（安排比例）",
        "Tier threshold (ratio)",
    ),
    (
        "policies.tier_above",
        "达到界限时按应缴额的比例征收",
        "Share paid at or above the threshold",
    ),
    (
        "policies.tier_below",
        "未达界限时按应缴额的比例征收",
        "Share paid below the threshold",
    ),
    ("policies.tier_from", "分档征收开始日期", "Tiers apply from"),
    ("policies.tier_to", "分档征收结束日期", "Tiers apply until"),
    (
        "policies.exemption",
        "小微企业免征",
        "Small-enterprise exemption",
    ),
    (
        "policies.exempt_headcount",
        "免征的企业人数上限",
        "Exempt enterprises: at most this many staff",
    ),
    ("policies.exempt_from", "免征开始日期", "Exemption from"),
    ("policies.exempt_to", "免征结束日期", "Exemption until"),
    (
        "policies.agency_min",
        "机关至少安排一人的编制数",
        "Agencies must employ one from this staffing",
    ),
    (
        "policies.institution_min",
        "事业单位至少安排一人的编制数",
        "Institutions must employ one from this staffing",
    ),
    ("employers.yuan_end", "元。", "CNY."),
    ("employers.saving_end", "元）。", "CNY)."),
    ("nav.queues", "就业服务", "Employment service"),
    (
        "persons.case",
        "就业服务记录（“四个一”）",
        "Employment service case (the “four ones”)",
    ),
    ("case.title", "就业服务记录", "Employment service case"),
    ("case.back", "返回人员信息", "Back to the person's record"),
    ("case.progress", "“四个一”进度", "The “four ones”"),
    ("case.done", "已完成", "Done:"),
    ("case.next", "下一步：", "Next step:"),
    ("case.step_done", "已完成", "done"),
    ("case.step_missing", "未完成", "not yet"),
    (
        "case.print_hint",
        "本页可直接打印；打印时不含表单和导航。",
        "This page prints as it is, without forms or navigation.",
    ),
    ("case.none_yet", "尚无记录。", "Nothing recorded yet."),
    ("case.section.check", "一、信息核实", "1. Check"),
    (
        "case.section.assessment",
        "二、就业能力评估",
        "2. Assessment",
    ),
    (
        "case.section.need",
        "三、就业需求登记",
        "3. Need registration",
    ),
    ("case.section.service", "四、就业服务", "4. Services"),
    ("case.section.consents", "本人同意事项", "Consents"),
    ("case.add_check", "记录一次信息核实", "Record a check"),
    (
        "case.add_assessment",
        "填写就业能力评估",
        "Record an assessment",
    ),
    (
        "case.add_need",
        "登记就业需求",
        "Register the employment need",
    ),
    ("case.add_service", "记录一次服务", "Record a service"),
    ("case.verified", "已核实：", "Verified: "),
    ("case.capacity", "就业能力：", "Work capacity: "),
    ("case.skills", "技能：", "Skills: "),
    ("case.forms", "建议就业形式：", "Recommended forms: "),
    ("case.accommodations", "所需便利：", "Accommodations: "),
    ("case.reviewed_by", "审核人：", "Reviewed by "),
    ("case.review_note", "审核意见：", "Reviewer's note: "),
    ("case.review_label", "审核意见", "Reviewer's note"),
    (
        "case.review_hint",
        "退回时必须写明原因。评估人本人不能审核。",
        "Required when returning it. Assessors cannot approve their own assessment.",
    ),
    ("case.approve", "审核通过", "Approve"),
    ("case.return", "退回修改", "Return"),
    ("case.hours", "工作时间：", "Hours: "),
    ("case.form", "就业形式：", "Form of employment: "),
    ("case.districts", "意向区域：", "Districts: "),
    (
        "case.commute",
        "最长通勤（分钟）：",
        "Longest commute (minutes): ",
    ),
    (
        "case.wage",
        "期望月薪（元）：",
        "Expected monthly wage (CNY): ",
    ),
    (
        "case.willing_to_train",
        "愿意先参加培训：",
        "Willing to train first: ",
    ),
    ("case.result", "结果：", "Result: "),
    (
        "case.consents.lead",
        "未经本人同意，不向用人单位或培训机构提供个人信息。本人可以随时同意或撤回。",
        "Nothing is shared with employers or training institutions without the person's consent, which they can give or withdraw at any time.",
    ),
    ("case.consent.purpose", "事项", "Purpose"),
    ("case.consent.state", "现状", "Now"),
    ("case.consent.change", "更改", "Change"),
    ("case.consent.give", "同意", "Give consent"),
    ("case.consent.withdraw", "撤回同意", "Withdraw consent"),
    ("case.consent.never", "未表示", "Not asked yet"),
    ("case.consent.given", "已同意，自", "Given on"),
    ("case.consent.withdrawn", "已撤回，自", "Withdrawn on"),
    ("case.consent.by_person", "本人操作", "by the person"),
    (
        "case.consent.by_officer",
        "工作人员代为记录",
        "recorded by staff",
    ),
    ("case.date", "日期", "Date"),
    (
        "case.date.hint",
        "格式如 2024-06-30。",
        "For example 2024-06-30.",
    ),
    (
        "case.verified_fields",
        "核实了哪些信息",
        "What was verified",
    ),
    ("case.source", "信息来源", "Source"),
    ("case.note", "备注", "Note"),
    ("case.function", "功能受限程度：", "Limitation — "),
    ("case.capacity_label", "就业能力", "Work capacity"),
    (
        "case.skills_label",
        "技能与工作经历",
        "Skills and experience",
    ),
    (
        "case.forms_label",
        "建议的就业形式",
        "Recommended forms of employment",
    ),
    (
        "case.accommodations_label",
        "工作中需要的便利",
        "Accommodations needed at work",
    ),
    ("case.occupations", "意向职业", "Desired occupations"),
    (
        "case.occupations.hint",
        "例如：会计、客服、按摩。",
        "For example: bookkeeping, customer service, massage.",
    ),
    (
        "case.form_label",
        "意向就业形式",
        "Form of employment wanted",
    ),
    ("case.hours_label", "工作时间", "Hours"),
    (
        "case.districts_label",
        "愿意工作的区",
        "Districts they would work in",
    ),
    (
        "case.commute_label",
        "最长通勤时间（分钟，可不填）",
        "Longest commute in minutes (optional)",
    ),
    (
        "case.wage_label",
        "期望月薪（元，可不填）",
        "Expected monthly wage in CNY (optional)",
    ),
    (
        "case.willing_label",
        "愿意先参加职业培训",
        "Willing to train first",
    ),
    ("case.service_kind", "服务内容", "Service"),
    ("case.result_label", "服务结果", "Result"),
    (
        "case.lead.check",
        "核实基本信息：记录核实了什么、依据什么。",
        "Verify the basic information: record what was verified and from which source.",
    ),
    (
        "case.lead.assessment",
        "评估就业能力。提交后由另一位工作人员审核通过或退回。",
        "Assess vocational ability. Another member of staff approves or returns it.",
    ),
    (
        "case.lead.need",
        "登记本人的就业需求，用于岗位匹配和服务安排。",
        "Register what work the person wants, for matching and services.",
    ),
    (
        "case.lead.service",
        "记录为本人提供的一次就业服务及其结果。",
        "Record a service given and what came of it.",
    ),
    ("case.assessor", "评估人", "Assessor"),
    (
        "assessments.title",
        "待审核的能力评估",
        "Assessments waiting for approval",
    ),
    (
        "assessments.lead",
        "评估由另一位工作人员审核。打开人员的服务记录进行审核。",
        "Another member of staff approves each assessment: open the person's case to review it.",
    ),
    ("assessments.unit", "份。", "assessments."),
    (
        "assessments.empty",
        "没有待审核的评估。",
        "No assessments are waiting.",
    ),
    (
        "queues.title",
        "就业服务工作队列",
        "Employment service work queues",
    ),
    (
        "queues.lead",
        "本区法定劳动年龄内、尚未就业、缺少某一步“四个一”服务的人员，按登记时间从早到晚排列。",
        "Working-age people without a job in your area who lack a step of the “four ones”, longest registered first.",
    ),
    ("queues.tabs", "按缺少的步骤", "By missing step"),
    ("queues.lacking", "缺少：", "Lacking: "),
    (
        "queues.empty",
        "没有人缺少这一步。",
        "Nobody lacks this step.",
    ),
    (
        "queues.caption",
        "按登记时间排序",
        "longest registered first",
    ),
    (
        "case.section.outcomes",
        "五、就业结果与回访",
        "5. Employment and follow-ups",
    ),
    (
        "case.add_outcome",
        "记录就业",
        "Record that they started work",
    ),
    (
        "case.lead.outcome",
        "记录本人开始工作。每人每年最多计入一次新增就业，计入一项行动计划措施和本人服务所在区。",
        "Record that the person started work. New employment counts a person at most once a year, for one measure of the plan and the district that serves them.",
    ),
    ("case.started_work", "开始就业", "Started work"),
    ("case.measure", "计入措施：", "Measure credited: "),
    ("case.credited_district", "计入区：", "District credited: "),
    ("case.employer", "用人单位：", "Employer: "),
    (
        "case.contract_months",
        "合同期限（月）：",
        "Contract (months): ",
    ),
    (
        "case.monthly_wage",
        "月工资（元）：",
        "Monthly wage (CNY): ",
    ),
    ("case.insured", "缴纳社保：", "Social insurance paid: "),
    ("case.ended_on", "结束于：", "Ended on: "),
    ("case.months_later", "个月回访", "-month follow-up"),
    ("case.still_employed", "仍在就业：", "still employed: "),
    ("case.follow_up", "记录回访", "Record a follow-up"),
    (
        "case.follow_up_after",
        "就业后第几个月",
        "Months after the start",
    ),
    ("case.follow_up_on", "回访日期", "Date of the follow-up"),
    (
        "case.still_employed_label",
        "是否仍在就业",
        "Still in work?",
    ),
    ("case.record_follow_up", "保存回访", "Save the follow-up"),
    ("case.started_on", "开始工作日期", "First day of work"),
    (
        "case.measure_label",
        "计入的行动计划措施",
        "Measure of the plan credited",
    ),
    (
        "case.employer_label",
        "用人单位统一社会信用代码（可不填）",
        "Employer's unified social credit code (optional)",
    ),
    (
        "case.employer_hint",
        "已登记的单位会自动关联；个体、灵活就业可不填。",
        "A registered employer is linked; leave empty for self-employment or flexible work.",
    ),
    (
        "case.contract_label",
        "合同期限（月，可不填）",
        "Contract length in months (optional)",
    ),
    (
        "case.contract_hint",
        "无固定期限合同请留空。",
        "Leave empty for an open-ended contract.",
    ),
    (
        "case.wage_paid_label",
        "月工资（元，可不填）",
        "Monthly wage in CNY (optional)",
    ),
    (
        "case.insured_label",
        "是否缴纳社会保险",
        "Social insurance paid",
    ),
    ("case.not_known", "不清楚", "Not known"),
    (
        "persons.deactivate",
        "停用这条记录",
        "Deactivate this record",
    ),
    ("persons.reactivate", "恢复这条记录", "Restore this record"),
    ("persons.status_reason", "原因", "Reason"),
    (
        "persons.status_reason.hint",
        "例如：迁出本市、已去世、重复登记。原因记入审计日志；记录保留以备查询。",
        "For example: moved away, died, registered twice. The reason goes into the audit log; the record is kept for history.",
    ),
    ("contact.title", "更新联系方式", "Update contact details"),
    (
        "contact.lead",
        "本人可以随时更新自己的联系方式。手机号加密保存，页面上只显示部分号码。",
        "You can keep your own contact details up to date. The mobile number is stored encrypted and shown only in part.",
    ),
    ("contact.phone", "新的手机号", "New mobile number"),
    (
        "contact.phone.hint",
        "11 位，以 1 开头；不改请留空。现在的号码：",
        "11 digits starting with 1; leave empty to keep the current one:",
    ),
    (
        "case.my_need",
        "更新我的求职意向",
        "Update my job preferences",
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
    fn every_key_used_in_the_page_code_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for piece in text.split(".get(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                let looks_like_key = key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                if looks_like_key && !CATALOGUE.contains_key(key) {
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
