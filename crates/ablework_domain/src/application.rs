//! Job applications: a person's way from a recommended or applied-for
//! posting to a hire, and the steps allowed between (issue 8).
//!
//! ```text
//! recommended ─┬─> applied ─┬─> interview ─┬─> offer ──> hired
//!              └────────────┴──────────────┘
//! every open step ──> declined (the employer says no) | withdrawn (the person)
//! ```
//!
//! `hired`, `declined` and `withdrawn` are final. A step may skip ahead
//! (an employer may offer without an interview) but never go back.
//!
//! Before any application, a job seeker may hide a job recommended to them
//! and say why ([`HideReason`]); a counsellor may record a decision on it
//! ([`CounsellorDecision`]).

use crate::person::vocabulary;

vocabulary! {
    /// Where an application stands.
    ApplicationStatus {
        /// The employment service recommended the person to the employer.
        Recommended => "recommended", "已推荐", "Recommended";
        /// The person applied.
        Applied => "applied", "已申请", "Applied";
        /// Invited to an interview.
        Interview => "interview", "面试", "Interview";
        /// Offered the job.
        Offer => "offer", "录用通知", "Offer";
        /// Started work: the employment outcome is recorded.
        Hired => "hired", "已入职", "Hired";
        /// The employer declined.
        Declined => "declined", "未录用", "Declined";
        /// The person withdrew.
        Withdrawn => "withdrawn", "已撤回", "Withdrawn";
    }
}

impl ApplicationStatus {
    /// Whether an application standing here has the person's job search in
    /// hand — under way (applied, at interview, offered) or hired — so the
    /// work list leaves them out. A recommendation not yet acted on, a
    /// decline or a withdrawal does not.
    pub fn engages_person(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Applied
                | ApplicationStatus::Interview
                | ApplicationStatus::Offer
                | ApplicationStatus::Hired
        )
    }

    /// Whether nothing may follow.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Hired | ApplicationStatus::Declined | ApplicationStatus::Withdrawn
        )
    }

    /// The position along the way to a hire (final ends share the last).
    fn rank(self) -> u8 {
        match self {
            ApplicationStatus::Recommended => 0,
            ApplicationStatus::Applied => 1,
            ApplicationStatus::Interview => 2,
            ApplicationStatus::Offer => 3,
            ApplicationStatus::Hired
            | ApplicationStatus::Declined
            | ApplicationStatus::Withdrawn => 4,
        }
    }

    /// Whether an application may move from `self` to `next`: forward
    /// only, from an open step; `hired` only from an offer.
    pub fn can_move_to(self, next: ApplicationStatus) -> bool {
        if self.is_final() || next == self {
            return false;
        }
        match next {
            ApplicationStatus::Recommended => false,
            ApplicationStatus::Hired => self == ApplicationStatus::Offer,
            ApplicationStatus::Declined | ApplicationStatus::Withdrawn => true,
            _ => next.rank() > self.rank(),
        }
    }

    /// The steps that may follow `self`, in display order.
    pub fn next_steps(self) -> Vec<ApplicationStatus> {
        ApplicationStatus::ALL
            .iter()
            .copied()
            .filter(|next| self.can_move_to(*next))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus as S;

    #[test]
    fn only_applications_under_way_or_hired_engage_the_person() {
        let engaging: Vec<S> = S::ALL
            .iter()
            .copied()
            .filter(|s| s.engages_person())
            .collect();
        assert_eq!(engaging, [S::Applied, S::Interview, S::Offer, S::Hired]);
    }

    #[test]
    fn the_way_to_a_hire_goes_forward_only() {
        let cases = [
            (S::Recommended, S::Applied, true),
            (S::Recommended, S::Interview, true),
            (S::Applied, S::Interview, true),
            (S::Applied, S::Offer, true),
            (S::Interview, S::Offer, true),
            (S::Offer, S::Hired, true),
            (S::Applied, S::Hired, false),
            (S::Interview, S::Hired, false),
            (S::Interview, S::Applied, false),
            (S::Offer, S::Interview, false),
            (S::Applied, S::Recommended, false),
            (S::Applied, S::Applied, false),
            (S::Offer, S::Declined, true),
            (S::Recommended, S::Withdrawn, true),
            (S::Hired, S::Withdrawn, false),
            (S::Declined, S::Applied, false),
            (S::Withdrawn, S::Applied, false),
        ];
        for (from, to, allowed) in cases {
            assert_eq!(from.can_move_to(to), allowed, "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn final_steps_have_no_next() {
        for status in S::ALL {
            assert_eq!(status.is_final(), status.next_steps().is_empty());
        }
        assert_eq!(S::Offer.next_steps(), [S::Hired, S::Declined, S::Withdrawn]);
    }
}

vocabulary! {
    /// Why a job seeker hid a recommended job.
    HideReason {
        /// Not the kind of work they want.
        NotInterested => "not_interested", "不想做这类工作", "Not the kind of work I want";
        /// Too far to travel.
        TooFar => "too_far", "路程太远", "Too far to travel";
        /// The wage is too low.
        WageTooLow => "wage_too_low", "工资太低", "The wage is too low";
        /// The hours do not suit.
        Hours => "hours", "工作时间不合适", "The hours do not suit me";
        /// Doubts about access or accommodations.
        Access => "access", "担心无障碍条件或便利措施不够", "Doubts about access or accommodations";
        /// Already applying elsewhere.
        AppliedElsewhere => "applied_elsewhere", "已在别处求职", "Already applying elsewhere";
        /// Another reason, given in the note.
        Other => "other", "其他原因", "Another reason";
    }
}

vocabulary! {
    /// A counsellor's decision on a job recommended to a person.
    CounsellorDecision {
        /// The counsellor encourages the person to apply.
        Encourage => "encourage", "建议申请", "Encourage to apply";
        /// Not suitable for the person: the job leaves their recommendations.
        NotSuitable => "not_suitable", "不适合", "Not suitable";
        /// Wait: something must be settled first.
        OnHold => "on_hold", "暂缓", "On hold";
    }
}

impl CounsellorDecision {
    /// Whether the decision takes the job out of the person's
    /// recommendations (as the seeker's hiding does).
    pub fn hides(self) -> bool {
        self == CounsellorDecision::NotSuitable
    }
}
