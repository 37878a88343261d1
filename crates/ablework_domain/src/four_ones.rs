//! The "four ones" employment service (四个一, MISSION.md measure 9): each
//! working-age person is checked (核实), assessed (评估), has their need
//! registered (登记需求) and is served (服务). This module holds the
//! vocabularies of those records and the rule that says which step a
//! person still lacks.

use crate::person::vocabulary;

vocabulary! {
    /// One of the four steps, in the order they are taken.
    Step {
        /// The basic information verified.
        Check => "check", "信息核实", "Check";
        /// Vocational ability assessed and approved by a supervisor.
        Assessment => "assessment", "能力评估", "Assessment";
        /// The employment need registered.
        Need => "need", "需求登记", "Need registration";
        /// At least one service given.
        Service => "service", "就业服务", "Service";
    }
}

vocabulary! {
    /// Where verified information came from.
    CheckSource {
        /// The disability certificate itself.
        Certificate => "certificate", "残疾人证", "Disability certificate";
        /// The household register (户籍).
        HouseholdRegister => "household_register", "户籍信息", "Household register";
        /// In person at the service centre.
        InPerson => "in_person", "当面核实", "In person";
        /// A home visit.
        HomeVisit => "home_visit", "入户走访", "Home visit";
        /// By telephone.
        Phone => "phone", "电话核实", "By telephone";
    }
}

vocabulary! {
    /// The parts of a person's record a check can verify.
    CheckedField {
        /// Name and identity.
        Identity => "identity", "姓名与身份", "Name and identity";
        /// Category and level of disability.
        Disability => "disability", "残疾类别与等级", "Category and level of disability";
        /// Address and district of service.
        Address => "address", "住址与服务区", "Address and district";
        /// Contact details.
        Contact => "contact", "联系方式", "Contact details";
        /// Education.
        Education => "education", "文化程度", "Education";
        /// Whether they are in work now.
        Employment => "employment", "就业状况", "Employment status";
    }
}

vocabulary! {
    /// A functional ability assessed.
    Function {
        /// Walking, standing, stairs.
        Mobility => "mobility", "行动", "Mobility";
        /// Seeing.
        Vision => "vision", "视力", "Vision";
        /// Hearing.
        Hearing => "hearing", "听力", "Hearing";
        /// Speaking.
        Speech => "speech", "言语", "Speech";
        /// Hand and finger use.
        FineMotor => "fine_motor", "手部精细动作", "Fine motor";
        /// Understanding, memory, learning.
        Cognition => "cognition", "认知", "Cognition";
        /// Working through a day.
        Stamina => "stamina", "体力耐力", "Stamina";
    }
}

vocabulary! {
    /// How much a function limits work.
    Limitation {
        /// No limitation.
        None => "none", "无受限", "Not limited";
        /// Some limitation.
        Mild => "mild", "轻度受限", "Mildly limited";
        /// Clear limitation; adjustments needed.
        Moderate => "moderate", "中度受限", "Moderately limited";
        /// Severe limitation.
        Severe => "severe", "重度受限", "Severely limited";
    }
}

vocabulary! {
    /// The work a person can take on now.
    WorkCapacity {
        /// Full-time open employment.
        FullTime => "full_time", "可全日制就业", "Full-time work";
        /// Part-time or flexible work.
        PartTime => "part_time", "可非全日制或灵活就业", "Part-time or flexible work";
        /// Supported (auxiliary) employment.
        Supported => "supported", "适合辅助性就业", "Supported employment";
        /// Not able to work now; rehabilitation first.
        NotNow => "not_now", "暂不具备就业能力", "Not able to work now";
    }
}

vocabulary! {
    /// A workplace accommodation.
    Accommodation {
        /// Step-free access.
        StepFree => "step_free", "无障碍通道", "Step-free access";
        /// An accessible toilet.
        AccessibleToilet => "accessible_toilet", "无障碍卫生间", "Accessible toilet";
        /// A screen reader or magnifier.
        ScreenReader => "screen_reader", "读屏或放大软件", "Screen reader or magnifier";
        /// Sign-language interpreting.
        SignLanguage => "sign_language", "手语翻译", "Sign-language interpreting";
        /// Written instructions instead of spoken ones.
        WrittenInstructions => "written_instructions", "书面指令", "Written instructions";
        /// Flexible hours.
        FlexibleHours => "flexible_hours", "弹性工作时间", "Flexible hours";
        /// Working from home.
        RemoteWork => "remote_work", "居家办公", "Working from home";
        /// An adjusted workstation.
        AdjustedWorkstation => "adjusted_workstation", "调整工位", "Adjusted workstation";
        /// A quiet space.
        QuietSpace => "quiet_space", "安静的工作环境", "Quiet space";
        /// A job coach.
        JobCoach => "job_coach", "就业辅导员", "Job coach";
        /// Help with transport.
        Transport => "transport", "通勤帮助", "Transport help";
        /// A text or video relay service for telephone calls.
        RelayService => "relay_service", "电话文字或视频转接服务", "Text or video relay for calls";
        /// Live captions in meetings and training.
        CaptionedMeetings => "captioned_meetings", "会议实时字幕", "Captioned meetings";
    }
}

vocabulary! {
    /// A language or way of communicating a person uses at work.
    Language {
        /// Mandarin (spoken).
        Mandarin => "mandarin", "普通话", "Mandarin";
        /// Chinese Sign Language.
        SignLanguage => "sign_language", "中国手语", "Chinese Sign Language";
        /// Braille.
        Braille => "braille", "盲文", "Braille";
        /// Written Chinese only.
        WrittenChinese => "written_chinese", "书面中文", "Written Chinese";
        /// English.
        English => "english", "英语", "English";
        /// An augmentative or alternative communication aid.
        Aac => "aac", "辅助沟通设备", "Communication aid";
    }
}

vocabulary! {
    /// Working hours wanted.
    Hours {
        /// Full-time.
        FullTime => "full_time", "全日制", "Full-time";
        /// Part-time.
        PartTime => "part_time", "非全日制", "Part-time";
        /// Flexible.
        Flexible => "flexible", "灵活", "Flexible";
    }
}

vocabulary! {
    /// A service given to a person.
    ServiceKind {
        /// A job recommended.
        JobRecommendation => "job_recommendation", "岗位推荐", "Job recommendation";
        /// Referred to training.
        TrainingReferral => "training_referral", "培训转介", "Training referral";
        /// Advice on policies.
        PolicyAdvice => "policy_advice", "政策咨询", "Policy advice";
        /// Invited to a job fair.
        JobFairInvitation => "job_fair_invitation", "招聘会邀请", "Job-fair invitation";
        /// Help to start a business.
        EntrepreneurshipSupport => "entrepreneurship_support", "创业扶持", "Entrepreneurship support";
        /// Placed in auxiliary (sheltered) employment.
        AuxiliaryPlacement => "auxiliary_placement", "辅助性就业安置", "Auxiliary employment placement";
        /// Referred to rehabilitation.
        RehabilitationReferral => "rehabilitation_referral", "康复转介", "Rehabilitation referral";
    }
}

vocabulary! {
    /// What came of a service.
    ServiceResult {
        /// Not known yet.
        Pending => "pending", "待反馈", "Pending";
        /// Taken up.
        Accepted => "accepted", "已接受", "Accepted";
        /// Turned down.
        Declined => "declined", "已婉拒", "Declined";
        /// Led to a job.
        Employed => "employed", "已就业", "Led to a job";
        /// Finished (training completed, advice given).
        Completed => "completed", "已完成", "Completed";
    }
}

vocabulary! {
    /// What a person may consent to.
    ConsentPurpose {
        /// Their profile shared with employers for job matching.
        Matching => "matching", "向用人单位推荐（共享求职信息用于岗位匹配）", "Share my profile with employers for job matching";
        /// Invitations to job fairs.
        JobFairs => "job_fairs", "接收招聘会和岗位信息", "Send me job fairs and vacancies";
        /// Their profile shared with training institutions.
        Training => "training", "向培训机构共享信息", "Share my profile with training institutions";
    }
}

vocabulary! {
    /// Where an assessment stands.
    AssessmentStatus {
        /// Waiting for a supervisor.
        Submitted => "submitted", "待审核", "Waiting for approval";
        /// Sent back with reasons.
        Returned => "returned", "已退回", "Returned";
        /// Approved by a supervisor.
        Approved => "approved", "已审核通过", "Approved";
    }
}

/// Which of the four steps a person has taken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per step of the service, read by `done`"
)]
pub struct Progress {
    /// Checked at least once.
    pub checked: bool,
    /// An assessment approved by a supervisor.
    pub assessed: bool,
    /// A need registered.
    pub need_registered: bool,
    /// At least one service given.
    pub served: bool,
}

impl Progress {
    /// Whether a step is done.
    pub fn done(&self, step: Step) -> bool {
        match step {
            Step::Check => self.checked,
            Step::Assessment => self.assessed,
            Step::Need => self.need_registered,
            Step::Service => self.served,
        }
    }

    /// The first step not yet taken, in the order of the service: the step
    /// an officer should take next.
    pub fn next_step(&self) -> Option<Step> {
        Step::ALL.iter().copied().find(|step| !self.done(*step))
    }

    /// How many of the four steps are done.
    pub fn count(&self) -> usize {
        Step::ALL.iter().filter(|step| self.done(**step)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_step_follows_the_order_of_the_service() {
        let mut progress = Progress::default();
        assert_eq!(progress.next_step(), Some(Step::Check));
        progress.checked = true;
        assert_eq!(progress.next_step(), Some(Step::Assessment));
        progress.need_registered = true;
        assert_eq!(
            progress.next_step(),
            Some(Step::Assessment),
            "an assessment is still missing"
        );
        progress.assessed = true;
        progress.served = true;
        assert_eq!(progress.next_step(), None);
        assert_eq!(progress.count(), 4);
    }

    #[test]
    fn codes_round_trip() {
        for kind in ServiceKind::ALL {
            assert_eq!(ServiceKind::from_code(kind.code()), Some(*kind));
        }
        for purpose in ConsentPurpose::ALL {
            assert_eq!(ConsentPurpose::from_code(purpose.code()), Some(*purpose));
        }
        assert_eq!(
            Accommodation::from_code("step_free"),
            Some(Accommodation::StepFree)
        );
        assert_eq!(Step::from_code("other"), None);
    }
}
