//! The records of job postings: what an employer offers, with the
//! functional demands of the work and the accommodations it provides, in
//! the shape the matching engine reads ([`JobPostingRecord::to_job`]).

use ablework_domain::four_ones::{Accommodation, Hours};
use ablework_domain::matching::{Demand, DemandLevel, Job};
use ablework_domain::occupation::{MajorGroup, SubMajorGroup};
use ablework_domain::person::Education;
use chrono::{DateTime, Utc};

/// A posting's fields, as written on create and update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobPostingFields {
    /// The employer offering the work.
    pub employer_id: i64,
    /// The job's title.
    pub title: String,
    /// Its ISCO-08 sub-major group.
    pub occupation: SubMajorGroup,
    /// The district of the workplace (current GB/T 2260 code).
    pub district_code: String,
    /// The workplace's address.
    pub address: String,
    /// Whether the work can be done from home.
    pub remote_possible: bool,
    /// Working hours.
    pub hours: Hours,
    /// Monthly wage, yuan.
    pub monthly_wage: u32,
    /// The least education required, if any.
    pub education_required: Option<Education>,
    /// Skills required, as normalised tags.
    pub skills_required: Vec<String>,
    /// The functional demands of the work, each once, with its level.
    pub demands: Vec<(Demand, DemandLevel)>,
    /// The accommodations the employer offers, each once.
    pub accommodations: Vec<Accommodation>,
    /// Reserved for persons with disabilities.
    pub reserved_for_disabled: bool,
    /// How many posts are offered (at least 1).
    pub posts: u32,
}

/// A stored posting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobPostingRecord {
    /// Surrogate id.
    pub id: i64,
    /// The fields.
    pub fields: JobPostingFields,
    /// The employer's registered name (filled in on reads).
    pub employer_name: String,
    /// The employer's district, which decides a district officer's scope
    /// (filled in on reads).
    pub employer_district_code: String,
    /// Still taking applications.
    pub open: bool,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl JobPostingRecord {
    /// The posting as the matching engine reads it.
    pub fn to_job(&self) -> Job {
        let fields = &self.fields;
        Job {
            id: self.id,
            occupation: fields.occupation,
            district: fields.district_code.clone(),
            remote_possible: fields.remote_possible,
            hours: fields.hours,
            monthly_wage: fields.monthly_wage,
            education_required: fields.education_required,
            skills_required: fields.skills_required.clone(),
            demands: fields.demands.clone(),
            accommodations: fields.accommodations.clone(),
            reserved_for_disabled: fields.reserved_for_disabled,
            open: self.open,
        }
    }
}

/// Which postings an actor may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostingScope {
    /// Every posting.
    All,
    /// The postings of the employers of one district.
    District(String),
    /// One employer's postings (its own HR).
    Employer(i64),
    /// Open postings only (job seekers and institutions).
    Open,
    /// None.
    Nobody,
}

impl PostingScope {
    /// Whether a posting already read is inside the scope: the rule the
    /// adapters apply in SQL.
    pub fn admits(&self, posting: &JobPostingRecord) -> bool {
        match self {
            PostingScope::All => true,
            PostingScope::District(code) => posting.employer_district_code == *code,
            PostingScope::Employer(id) => posting.fields.employer_id == *id,
            PostingScope::Open => posting.open,
            PostingScope::Nobody => false,
        }
    }
}

/// The order of a postings list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PostingSort {
    /// Newest first.
    #[default]
    Newest,
    /// Highest wage first.
    WageHigh,
    /// Lowest wage first.
    WageLow,
    /// By title.
    Title,
}

impl PostingSort {
    /// Every order, as lists offer them.
    pub const ALL: [PostingSort; 4] = [
        PostingSort::Newest,
        PostingSort::WageHigh,
        PostingSort::WageLow,
        PostingSort::Title,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            PostingSort::Newest => "newest",
            PostingSort::WageHigh => "wage_high",
            PostingSort::WageLow => "wage_low",
            PostingSort::Title => "title",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<PostingSort> {
        PostingSort::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A postings list query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostingFilter {
    /// The actor's scope, applied first.
    pub scope: PostingScope,
    /// Text to find in the title.
    pub search: Option<String>,
    /// The workplace's district.
    pub district_code: Option<String>,
    /// The occupation's major group.
    pub major_group: Option<MajorGroup>,
    /// Remote work possible.
    pub remote_only: bool,
    /// Reserved posts only.
    pub reserved_only: bool,
    /// Offers this accommodation.
    pub accommodation: Option<Accommodation>,
    /// Open (`Some(true)`), closed (`Some(false)`) or both (`None`).
    pub open: Option<bool>,
    /// One employer's postings.
    pub employer_id: Option<i64>,
    /// The order.
    pub sort: PostingSort,
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub per_page: u32,
}

impl PostingFilter {
    /// A filter with nothing but a scope, first page of 20, newest first.
    pub fn new(scope: PostingScope) -> Self {
        PostingFilter {
            scope,
            search: None,
            district_code: None,
            major_group: None,
            remote_only: false,
            reserved_only: false,
            accommodation: None,
            open: None,
            employer_id: None,
            sort: PostingSort::Newest,
            page: 1,
            per_page: 20,
        }
    }

    /// Rows to skip for the requested page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posting_converts_to_the_job_the_matching_engine_reads() {
        let record = JobPostingRecord {
            id: 7,
            fields: JobPostingFields {
                employer_id: 3,
                title: "数据录入员".to_owned(),
                occupation: SubMajorGroup::GeneralClerks,
                district_code: "120101".to_owned(),
                address: "南京路 1 号".to_owned(),
                remote_possible: true,
                hours: Hours::PartTime,
                monthly_wage: 4_200,
                education_required: Some(Education::SeniorSecondary),
                skills_required: vec!["excel".to_owned()],
                demands: vec![
                    (Demand::FineMotor, DemandLevel::Frequent),
                    (Demand::Vision, DemandLevel::Occasional),
                ],
                accommodations: vec![Accommodation::ScreenReader, Accommodation::FlexibleHours],
                reserved_for_disabled: true,
                posts: 2,
            },
            employer_name: "天津甲商贸有限公司".to_owned(),
            employer_district_code: "120101".to_owned(),
            open: false,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        };
        let job = record.to_job();
        assert_eq!(job.id, 7);
        assert_eq!(job.occupation, SubMajorGroup::GeneralClerks);
        assert_eq!(job.district, "120101");
        assert!(job.remote_possible);
        assert_eq!(job.hours, Hours::PartTime);
        assert_eq!(job.monthly_wage, 4_200);
        assert_eq!(job.education_required, Some(Education::SeniorSecondary));
        assert_eq!(job.skills_required, ["excel"]);
        assert_eq!(job.demands, record.fields.demands);
        assert_eq!(job.accommodations, record.fields.accommodations);
        assert!(job.reserved_for_disabled);
        assert!(!job.open, "a closed posting is a closed job");
    }

    #[test]
    fn sort_codes_round_trip() {
        for sort in PostingSort::ALL {
            assert_eq!(PostingSort::from_code(sort.code()), Some(sort));
        }
        assert_eq!(PostingSort::from_code("salary"), None);
    }
}
