//! An index over a set of jobs that answers [`top_jobs`](super::top_jobs)
//! for one person after another without scoring every job.
//!
//! [`JobIndex::new`] works out once what does not depend on the person: it
//! drops closed jobs, groups the open ones into *buckets* by occupation and
//! by location (district, and whether the job can be done from home), and
//! cuts each bucket into small *blocks*. Every bucket and block carries a
//! summary of its jobs — the most points any of them gives for being
//! reserved, its hours and its education (for each kind of hours wanted and
//! each education held), the highest wage, the union of the skills required
//! and the fewest required, the accommodations offered by any — from which
//! an upper bound on the score of any of its jobs for a given person
//! follows. Each job keeps, as bits, the accommodations it offers and, for
//! every function and limitation, whether a person limited so would be
//! excluded by a conflict nothing offered covers; its skills as numbers.
//! Checking and scoring a job allocates nothing and reads its 32-byte entry
//! and its skill numbers.
//!
//! [`JobIndex::top_jobs`] then visits the buckets best first by the points
//! that are the same for all of a bucket's jobs (occupation and travel),
//! skips every bucket and block whose bound cannot beat the `n`-th best
//! match found so far (respecting the tie-break by id), and scores the
//! jobs of the rest. The pruning is exact: a job is skipped only when no
//! score it could have would put it in the first `n`, so the answer is the
//! exhaustive one, job for job.
//!
//! The rule is not written twice. The points come from tables the index
//! fills by calling the module's factor functions; the location from the
//! same `place_at`; the conflict bits from the same `conflicts` and
//! `cover_for`, asked once per job for each function at each limitation
//! (a conflict reads the limitation of one function only, so a person is
//! excluded exactly when one of their functions is); the winners' matches
//! from the same `score_facts` and `accommodated_by` that `explain` uses.

use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use chrono::NaiveDate;

#[cfg(debug_assertions)]
use super::evaluate;
use super::{
    Arrangement, Demand, DemandLevel, FUNCTION_COUNT, Factor, Job, JobFacts, JobView, Match,
    Seeker, SeekerView, TRAVEL_MINUTES, WEIGHTS, accommodated_by, conflicts, cover_for,
    demand_level, district_index, education_share, factor_score, hours_share, keep_best,
    missing_access, occupation_share, place_at, reserved_share, score_facts, skill_count,
    skills_share, travel_share, wage_share, working_age_exclusion,
};
use crate::four_ones::{Accommodation, Hours, Limitation};
use crate::occupation::SubMajorGroup;
use crate::person::Education;
use crate::working_age::WorkingAgeRule;

/// Jobs to a block: small enough that a block's bound is close to its
/// jobs' scores, large enough that checking the bound costs less than
/// scoring them.
const BLOCK: usize = 4;

/// The districts of [`TRAVEL_MINUTES`]; one more position stands for a
/// district that is not known.
const DISTRICTS: usize = TRAVEL_MINUTES.len();

/// Location keys: (district position or [`DISTRICTS`]) × (can be done from
/// home).
const LOCATIONS: usize = (DISTRICTS + 1) * 2;

const OCCUPATIONS: usize = SubMajorGroup::ALL.len();

/// Education classes: 0 for none required (or, for a person, none on
/// record), then one for each [`Education`] in the order of its `ALL`.
const EDUCATION_CLASSES: usize = Education::ALL.len() + 1;

const HOURS: usize = Hours::ALL.len();

/// A job's (reserved, hours, education required) as one number.
const FIXED_CODES: usize = 2 * HOURS * EDUCATION_CLASSES;

const LIMITATIONS: usize = Limitation::ALL.len();

/// Skill sets of up to this many words are kept in the summaries
/// themselves, saving a search a read elsewhere for every bound.
const INLINE_WORDS: usize = 2;

/// Jobs requiring more skills than this are scored without the tables and
/// bounded by the full weight.
const SKILL_TABLE_LIMIT: usize = 64;

// Entries keep offered accommodations and the exclusions by function and
// limitation as bits of a `u32`, their district in a `u8`, and summaries
// the points of three factors together in a `u8`.
const _: () = assert!(Accommodation::ALL.len() <= 32 && FUNCTION_COUNT * LIMITATIONS <= 32);
const _: () = assert!(DISTRICTS < 255 && FIXED_CODES <= 256 && OCCUPATIONS <= 256);
const _: () = assert!(Demand::ALL.len() * 2 <= 32);
const _: () = assert!(WEIGHTS.reserved + WEIGHTS.hours + WEIGHTS.education <= 255);

fn education_class(education: Option<Education>) -> usize {
    education.map_or(0, |education| education as usize + 1)
}

fn fixed_code(reserved: bool, hours: usize, education: usize) -> usize {
    (usize::from(reserved) * HOURS + hours) * EDUCATION_CLASSES + education
}

/// The reserved flag, hours and education class of a fixed code.
fn fixed_parts(code: usize) -> (bool, usize, usize) {
    let education = code % EDUCATION_CLASSES;
    let hours = code / EDUCATION_CLASSES % HOURS;
    (code / EDUCATION_CLASSES / HOURS == 1, hours, education)
}

fn location_key(district: Option<usize>, remote_possible: bool) -> usize {
    district.unwrap_or(DISTRICTS).min(DISTRICTS) * 2 + usize::from(remote_possible)
}

/// The district position and the remote flag of a location key.
fn location_of(key: usize) -> (Option<usize>, bool) {
    let district = key / 2;
    ((district < DISTRICTS).then_some(district), key % 2 == 1)
}

/// The bit of a function limited at a level.
fn limitation_bit(function: usize, limitation: usize) -> u32 {
    1 << (function * LIMITATIONS + limitation)
}

/// An open job as the index keeps it, in 32 bytes, so the jobs a search
/// scores stream through the cache (its id and position lie beside), and
/// a winner's match is made without reading the job again.
#[derive(Clone, Copy)]
struct Entry {
    /// The skills required: `tags[skills_start..skills_start + skills_len]`.
    skills_start: usize,
    skills_len: u32,
    /// For each function and limitation ([`limitation_bit`]), whether a
    /// person limited so is excluded by a conflict nothing offered covers.
    excluded: u32,
    /// Accommodations offered, as bits.
    offered: u32,
    /// Position of the wage among the distinct wages of the index.
    wage_level: u32,
    /// Each demand at its level: bit 2 × `Demand as usize` + (0 occasional,
    /// 1 frequent).
    demands: u32,
    /// Reserved, hours and education required ([`fixed_code`]).
    fixed: u8,
    /// The district's position; [`DISTRICTS`] if not a district.
    district: u8,
    /// `SubMajorGroup as u8`.
    occupation: u8,
    remote_possible: bool,
}

const _: () = assert!(std::mem::size_of::<Entry>() <= 32);

impl Entry {
    fn skills(&self) -> Range<usize> {
        self.skills_start..self.skills_start + self.skills_len as usize
    }
}

/// What every job of a bucket or block has in common, or at most.
#[derive(Clone, Copy)]
struct Summary {
    min_id: i64,
    /// The union of the skills required, if the vocabulary fits
    /// [`INLINE_WORDS`].
    union_inline: [u64; INLINE_WORDS],
    /// Where the union of the skills required begins in `unions`, if not.
    union: usize,
    /// `[hours wanted][person's education class]`: the most points any job
    /// gives for being reserved, its hours and its education together.
    fixed_best: [[u8; EDUCATION_CLASSES]; HOURS],
    /// The highest wage's level.
    max_wage_level: u32,
    /// Accommodations offered by at least one job.
    offered_any: u32,
    /// Exclusions that hold for every job.
    excluded_all: u32,
    fewest_skills: u32,
    most_skills: u32,
}

struct Block {
    summary: Summary,
    entries: Range<usize>,
}

struct Bucket {
    summary: Summary,
    blocks: Range<usize>,
}

/// Points that depend only on the job's side and a small part of the
/// person's, filled from the factor functions.
struct Tables {
    /// `[person's class][required class]`.
    education: [[u32; EDUCATION_CLASSES]; EDUCATION_CLASSES],
    /// `[wanted][offered]`.
    hours: [[u32; HOURS]; HOURS],
    /// `[reserved]`.
    reserved: [u32; 2],
    /// The largest skill count in the tables.
    skill_cap: usize,
    /// `[required × (skill_cap + 1) + matched]`.
    skill_points: Vec<u32>,
    /// `[hours wanted][person's education class][fixed code]`: the points
    /// for being reserved, the hours and the education.
    fixed: Vec<[[u32; FIXED_CODES]; EDUCATION_CLASSES]>,
    /// `[fewest required × (skill_cap + 1) + held of the union]`: the most
    /// points a job requiring at least `fewest` (and at most `skill_cap`)
    /// skills, all of them in a union of which the person holds `held`,
    /// can give.
    skill_bound: Vec<u32>,
}

impl Tables {
    fn new(skill_cap: usize) -> Tables {
        let mut education = [[0; EDUCATION_CLASSES]; EDUCATION_CLASSES];
        for (held_class, row) in education.iter_mut().enumerate() {
            for (required_class, points) in row.iter_mut().enumerate() {
                let held = held_class.checked_sub(1).map(|at| Education::ALL[at]);
                let required = required_class.checked_sub(1).map(|at| Education::ALL[at]);
                *points = factor_score(Factor::Education, education_share(held, required)).points;
            }
        }
        let mut hours = [[0; HOURS]; HOURS];
        for (wanted, row) in Hours::ALL.iter().zip(hours.iter_mut()) {
            for (offered, points) in Hours::ALL.iter().zip(row.iter_mut()) {
                *points = factor_score(Factor::Hours, hours_share(*wanted, *offered)).points;
            }
        }
        let reserved = [false, true]
            .map(|reserved| factor_score(Factor::Reserved, reserved_share(reserved)).points);
        let side = skill_cap + 1;
        let mut skill_points = vec![0; side * side];
        for required in 0..=skill_cap {
            for matched in 0..=required {
                skill_points[required * side + matched] = skill_points_of(matched, required);
            }
        }
        // The best over matched ≤ min(required, held) for each required
        // count, then the best over every required count from `fewest` up.
        let mut skill_bound = vec![0; side * side];
        for fewest in (0..=skill_cap).rev() {
            let mut best_matched = 0;
            for held in 0..=skill_cap {
                if held <= fewest {
                    best_matched = best_matched.max(skill_points[fewest * side + held]);
                }
                let above = if fewest < skill_cap {
                    skill_bound[(fewest + 1) * side + held]
                } else {
                    0
                };
                skill_bound[fewest * side + held] = best_matched.max(above);
            }
        }
        let mut tables = Tables {
            education,
            hours,
            reserved,
            fixed: Vec::new(),
            skill_cap,
            skill_points,
            skill_bound,
        };
        tables.fixed = (0..HOURS)
            .map(|wanted| {
                let mut by_education = [[0; FIXED_CODES]; EDUCATION_CLASSES];
                for (held, row) in by_education.iter_mut().enumerate() {
                    for (code, points) in row.iter_mut().enumerate() {
                        *points = tables.fixed_points(code, wanted, held);
                    }
                }
                by_education
            })
            .collect();
        tables
    }

    /// The points for being reserved, the hours and the education of a
    /// job with a fixed code, for a person wanting `hours` with education
    /// class `education`.
    fn fixed_points(&self, code: usize, hours: usize, education: usize) -> u32 {
        let (reserved, offered, required) = fixed_parts(code);
        self.reserved[usize::from(reserved)]
            + self.hours[hours][offered]
            + self.education[education][required]
    }

    fn skill_points(&self, matched: usize, required: usize) -> u32 {
        if required <= self.skill_cap {
            self.skill_points[required * (self.skill_cap + 1) + matched]
        } else {
            skill_points_of(matched, required)
        }
    }
}

fn skill_points_of(matched: usize, required: usize) -> u32 {
    let count = |value: usize| u32::try_from(value).unwrap_or(u32::MAX);
    factor_score(
        Factor::Skills,
        skills_share(count(matched), count(required)),
    )
    .points
}

fn wage_points(expectation: Option<u32>, wage: u32) -> u32 {
    factor_score(Factor::Wage, wage_share(expectation, wage)).points
}

/// The wage points of one person by wage level, worked out when first
/// needed: a search reads far more wages than there are distinct ones.
#[derive(Default)]
struct WageMemo {
    /// The search the entries belong to; older ones are stale.
    search: u32,
    /// `(search, points)` by wage level.
    points: Vec<(u32, u32)>,
}

impl WageMemo {
    /// Starts a search over `levels` wage levels.
    fn start(&mut self, levels: usize) {
        self.search = self.search.wrapping_add(1);
        if self.search == 0 || self.points.len() != levels {
            self.points.clear();
            self.points.resize(levels, (0, 0));
            self.search = 1;
        }
    }

    fn points(&mut self, wages: &[u32], level: u32, expectation: Option<u32>) -> u32 {
        let level = level as usize;
        let compute = || {
            wages
                .get(level)
                .map_or(0, |wage| wage_points(expectation, *wage))
        };
        match self.points.get_mut(level) {
            Some((search, points)) if *search == self.search => *points,
            Some(slot) => {
                let points = compute();
                *slot = (self.search, points);
                points
            }
            None => compute(),
        }
    }
}

/// How much a search did: for measuring the pruning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchWork {
    /// Buckets whose bound was worked out.
    pub buckets: usize,
    /// Blocks whose bound was worked out.
    pub blocks: usize,
    /// Jobs looked at one by one (checked against the hard constraints
    /// and, unless they cannot enter the best `n` even so, scored).
    pub jobs: usize,
}

/// A candidate in the search, ordered so that the greater is the worse:
/// lower score, then higher id, then later position (as `Ranked`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Candidate {
    score: u32,
    id: i64,
    /// Position in the jobs given to [`JobIndex::new`].
    index: usize,
    /// Position among the entries (follows from `index`).
    entry: usize,
}

impl Candidate {
    fn key(&self) -> (Reverse<u32>, i64, usize) {
        (Reverse(self.score), self.id, self.index)
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        self.key().cmp(&other.key())
    }
}

/// Buffers one search reuses from the last, so a batch allocates little.
#[derive(Default)]
struct Scratch {
    heap: BinaryHeap<Candidate>,
    /// The person's skills as bits of the index's vocabulary.
    skills: Vec<u64>,
    /// `(points, occupation)`, best first.
    occupations: Vec<(u32, usize)>,
    /// `(points, location key)` of the reachable locations, best first.
    locations: Vec<(u32, usize)>,
    /// Runs of equal points in the two lists: `(points, start, end)`.
    occupation_runs: Vec<(u32, usize, usize)>,
    location_runs: Vec<(u32, usize, usize)>,
    /// `(points, occupation run, location run)`, best first.
    pairs: Vec<(u32, usize, usize)>,
    /// The buckets of one pair: `(bound, bucket, fixed points, on site)`.
    buckets: Vec<(u32, usize, u32, bool)>,
    wages: WageMemo,
    work: SearchWork,
}

/// What one person brings to every job, worked out once a search.
struct Query<'s> {
    person: SeekerView<'s>,
    /// Occupation points by `SubMajorGroup as usize`.
    occupation: [u32; OCCUPATIONS],
    /// Travel points and whether on site, by location key; `None` out of
    /// reach.
    location: [Option<(u32, bool)>; LOCATIONS],
    /// Points for being reserved, hours and education by fixed code.
    fixed: &'s [u32; FIXED_CODES],
    education: usize,
    hours: usize,
    expectation: Option<u32>,
    /// The person's limitation of each function, as limitation bits; 0
    /// if not assessed.
    limited: u32,
    /// The workplace features needed, as accommodation bits.
    access_needed: u32,
}

/// An index over a set of jobs for a day and a working-age rule; see the
/// module's documentation.
pub struct JobIndex {
    /// A copy of the jobs, for checking the index against the reference
    /// path in debug builds.
    #[cfg(debug_assertions)]
    jobs: Vec<Job>,
    day: NaiveDate,
    rule: WorkingAgeRule,
    entries: Vec<Entry>,
    /// Each entry's job id.
    ids: Vec<i64>,
    /// Each entry's position in the jobs given to [`JobIndex::new`].
    positions: Vec<usize>,
    blocks: Vec<Block>,
    buckets: Vec<Bucket>,
    /// `[occupation × LOCATIONS + location]`: the bucket, if any.
    bucket_of: Vec<Option<usize>>,
    /// Occupations and location keys that have at least one bucket.
    occupations: Vec<usize>,
    locations: Vec<usize>,
    /// The distinct wages, lowest first.
    wages: Vec<u32>,
    /// Skill tags, trimmed and in ASCII lower case, to their numbers.
    vocabulary: HashMap<String, usize>,
    /// The skills required by each entry, as numbers.
    tags: Vec<usize>,
    /// Words of a skill set.
    words: usize,
    /// The skill unions of the summaries, `words` each.
    unions: Vec<u64>,
    tables: Tables,
}

/// The key a skill tag is compared by: `same_tag` holds exactly when two
/// tags have the same key (surrounding space trimmed, ASCII case folded).
pub(super) fn tag_key(tag: &str) -> String {
    tag.trim().to_ascii_lowercase()
}

/// For each function and limitation, whether a person limited so (and not
/// otherwise) is excluded from the job by a conflict that nothing the job
/// offers covers, as limitation bits. Each conflict reads the limitation
/// of one function only, so a person is excluded exactly when one of their
/// functions alone would exclude them.
fn exclusions(job: &Job, offered: u64) -> u32 {
    let mut excluded = 0;
    for function in 0..FUNCTION_COUNT {
        for (level, limitation) in Limitation::ALL.iter().enumerate() {
            let mut limitations = [Limitation::None; FUNCTION_COUNT];
            limitations[function] = *limitation;
            if conflicts(&limitations, job).any(|conflict| cover_for(&conflict, offered).is_none())
            {
                excluded |= limitation_bit(function, level);
            }
        }
    }
    excluded
}

/// An open job as the index builds it.
struct Built {
    bucket: usize,
    id: i64,
    position: usize,
    entry: Entry,
}

/// The entry of an open job whose skills begin at `skills_start` of the
/// tags.
fn entry_of(posting: &JobView<'_>, skills_start: usize, excluded: u32, wages: &[u32]) -> Entry {
    let job = posting.job;
    let district = posting.district.unwrap_or(DISTRICTS).min(DISTRICTS);
    let demands = Demand::ALL
        .iter()
        .filter_map(|demand| {
            let level = demand_level(job, *demand)?;
            Some(1 << (*demand as usize * 2 + level as usize))
        })
        .fold(0, |bits, bit| bits | bit);
    Entry {
        skills_start,
        skills_len: skill_count(&job.skills_required),
        excluded,
        // The assertions above keep these within their types.
        offered: u32::try_from(posting.offered).unwrap_or(u32::MAX),
        wage_level: u32::try_from(wages.partition_point(|wage| *wage < job.monthly_wage))
            .unwrap_or(u32::MAX),
        demands,
        fixed: u8::try_from(fixed_code(
            job.reserved_for_disabled,
            job.hours as usize,
            education_class(job.education_required),
        ))
        .unwrap_or(u8::MAX),
        district: u8::try_from(district).unwrap_or(u8::MAX),
        occupation: job.occupation as u8,
        remote_possible: job.remote_possible,
    }
}

impl JobIndex {
    /// Indexes `jobs` for matching on `day` under `rule`. Closed jobs are
    /// left out (they never match).
    pub fn new(jobs: &[Job], day: NaiveDate, rule: &WorkingAgeRule) -> JobIndex {
        let open = || jobs.iter().enumerate().filter(|(_, job)| job.open);
        let mut wages: Vec<u32> = open().map(|(_, job)| job.monthly_wage).collect();
        wages.sort_unstable();
        wages.dedup();
        let mut vocabulary = HashMap::new();
        let mut tags = Vec::new();
        // Many jobs share their demands and accommodations.
        let mut excluded_by: HashMap<(Vec<_>, u64), u32> = HashMap::new();
        let mut built: Vec<Built> = Vec::with_capacity(jobs.len());
        for (position, job) in open() {
            let posting = JobView::new(job);
            let skills_start = tags.len();
            for tag in &job.skills_required {
                let next = vocabulary.len();
                tags.push(*vocabulary.entry(tag_key(tag)).or_insert(next));
            }
            let excluded = *excluded_by
                .entry((job.demands.clone(), posting.offered))
                .or_insert_with(|| exclusions(job, posting.offered));
            built.push(Built {
                bucket: job.occupation as usize * LOCATIONS
                    + location_key(posting.district, job.remote_possible),
                id: job.id,
                position,
                entry: entry_of(&posting, skills_start, excluded, &wages),
            });
        }
        // Within a bucket, jobs alike in what the bounds read lie together,
        // so the blocks' bounds are tight: reserved posts first, then those
        // requiring no skill, then by hours, by the skills required, by the
        // education required, and the best paid first.
        let order = |job: &Built| {
            let (reserved, hours, education) = fixed_parts(usize::from(job.entry.fixed));
            (
                job.bucket,
                !reserved,
                job.entry.skills_len > 0,
                hours,
                &tags[job.entry.skills()],
                education,
                Reverse(job.entry.wage_level),
                job.id,
                job.position,
            )
        };
        built.sort_unstable_by(|first, second| order(first).cmp(&order(second)));
        // The skills again in the order of the entries, so a search reads
        // them in one sweep.
        let mut sorted_tags = Vec::with_capacity(tags.len());
        for job in &mut built {
            let start = sorted_tags.len();
            sorted_tags.extend_from_slice(&tags[job.entry.skills()]);
            job.entry.skills_start = start;
        }
        let skill_cap = built
            .iter()
            .map(|job| job.entry.skills_len as usize)
            .max()
            .unwrap_or(0)
            .min(SKILL_TABLE_LIMIT);
        let mut index = JobIndex {
            #[cfg(debug_assertions)]
            jobs: jobs.to_vec(),
            day,
            rule: *rule,
            entries: built.iter().map(|job| job.entry).collect(),
            ids: built.iter().map(|job| job.id).collect(),
            positions: built.iter().map(|job| job.position).collect(),
            blocks: Vec::new(),
            buckets: Vec::new(),
            bucket_of: vec![None; OCCUPATIONS * LOCATIONS],
            occupations: Vec::new(),
            locations: Vec::new(),
            words: vocabulary.len().div_ceil(64),
            wages,
            vocabulary,
            tags: sorted_tags,
            unions: Vec::new(),
            tables: Tables::new(skill_cap),
        };
        let keys: Vec<usize> = built.iter().map(|job| job.bucket).collect();
        index.cut(&keys);
        index
    }

    /// Cuts the sorted entries into buckets and blocks with their
    /// summaries.
    fn cut(&mut self, keys: &[usize]) {
        let mut start = 0;
        while start < keys.len() {
            let key = keys[start];
            let end = start + keys[start..].partition_point(|other| *other == key);
            let first_block = self.blocks.len();
            let mut block_start = start;
            while block_start < end {
                let block_end = (block_start + BLOCK).min(end);
                let summary = self.summarise(block_start..block_end);
                self.blocks.push(Block {
                    summary,
                    entries: block_start..block_end,
                });
                block_start = block_end;
            }
            let summary = self.summarise(start..end);
            self.bucket_of[key] = Some(self.buckets.len());
            self.buckets.push(Bucket {
                summary,
                blocks: first_block..self.blocks.len(),
            });
            let (occupation, location) = (key / LOCATIONS, key % LOCATIONS);
            if !self.occupations.contains(&occupation) {
                self.occupations.push(occupation);
            }
            if !self.locations.contains(&location) {
                self.locations.push(location);
            }
            start = end;
        }
    }

    fn summarise(&mut self, entries: Range<usize>) -> Summary {
        let inline = self.words <= INLINE_WORDS;
        let union = self.unions.len();
        if !inline {
            self.unions.resize(union + self.words, 0);
        }
        let mut summary = Summary {
            min_id: i64::MAX,
            union_inline: [0; INLINE_WORDS],
            union,
            fixed_best: [[0; EDUCATION_CLASSES]; HOURS],
            max_wage_level: 0,
            offered_any: 0,
            excluded_all: u32::MAX,
            fewest_skills: u32::MAX,
            most_skills: 0,
        };
        for (entry, id) in self.entries[entries.clone()].iter().zip(&self.ids[entries]) {
            summary.min_id = summary.min_id.min(*id);
            summary.max_wage_level = summary.max_wage_level.max(entry.wage_level);
            summary.offered_any |= entry.offered;
            summary.excluded_all &= entry.excluded;
            for (hours, row) in summary.fixed_best.iter_mut().enumerate() {
                for (education, best) in row.iter_mut().enumerate() {
                    let points =
                        self.tables
                            .fixed_points(usize::from(entry.fixed), hours, education);
                    // The assertion on the weights keeps this within a u8.
                    *best = (*best).max(u8::try_from(points).unwrap_or(u8::MAX));
                }
            }
            summary.fewest_skills = summary.fewest_skills.min(entry.skills_len);
            summary.most_skills = summary.most_skills.max(entry.skills_len);
            for tag in &self.tags[entry.skills()] {
                let word = if inline {
                    &mut summary.union_inline[tag / 64]
                } else {
                    &mut self.unions[union + tag / 64]
                };
                *word |= 1 << (tag % 64);
            }
        }
        summary
    }

    /// The number of open jobs indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No open job is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `n` best jobs for a person: exactly
    /// [`top_jobs`](super::top_jobs)`(seeker, jobs, n, day, rule)` for the
    /// jobs, day and rule of the index.
    pub fn top_jobs(&self, seeker: &Seeker, n: usize) -> Vec<Match> {
        self.top_jobs_with(seeker, n, &mut Scratch::default())
    }

    /// [`JobIndex::top_jobs`] with what the search did.
    pub fn top_jobs_with_work(&self, seeker: &Seeker, n: usize) -> (Vec<Match>, SearchWork) {
        let mut scratch = Scratch::default();
        let found = self.top_jobs_with(seeker, n, &mut scratch);
        (found, scratch.work)
    }

    /// [`JobIndex::top_jobs`] for every person of `seekers` on `threads`
    /// threads (at least one), each result passed through `keep` on the
    /// thread that found it; the results in the order of `seekers`. Use
    /// `std::thread::available_parallelism` for the machine's cores. The
    /// people are searched in the order of their first occupation wanted,
    /// home district and hours, which keeps what consecutive searches read
    /// in the cache.
    pub fn top_jobs_batch<T, F>(
        &self,
        seekers: &[Seeker],
        n: usize,
        threads: usize,
        keep: F,
    ) -> Vec<T>
    where
        T: Send,
        F: Fn(&Seeker, Vec<Match>) -> T + Sync,
    {
        // People are handed out in chunks from a shared counter, so a
        // thread that gets quick searches takes more of them.
        const CHUNK: usize = 256;
        // People who want the same occupation and live in the same
        // district read the same buckets and blocks: taken one after the
        // other, they find them in the cache.
        let mut order: Vec<usize> = (0..seekers.len()).collect();
        order.sort_by_cached_key(|at| {
            let seeker = &seekers[*at];
            (
                seeker
                    .desired_occupations
                    .first()
                    .map_or(OCCUPATIONS, |occupation| *occupation as usize),
                district_index(&seeker.home_district),
                seeker.hours as usize,
            )
        });
        let next = AtomicUsize::new(0);
        let work = || {
            let mut scratch = Scratch::default();
            let mut done = Vec::new();
            loop {
                let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                let Some(chunk) = order.get(start..(start + CHUNK).min(order.len())) else {
                    break;
                };
                if chunk.is_empty() {
                    break;
                }
                done.extend(chunk.iter().map(|at| {
                    let seeker = &seekers[*at];
                    (
                        *at,
                        keep(seeker, self.top_jobs_with(seeker, n, &mut scratch)),
                    )
                }));
            }
            done
        };
        let threads = threads.clamp(1, seekers.len().div_ceil(CHUNK).max(1));
        let mut results: Vec<(usize, T)> = if threads == 1 {
            work()
        } else {
            thread::scope(|scope| {
                let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
                handles
                    .into_iter()
                    .flat_map(|handle| {
                        handle
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        results.sort_unstable_by_key(|(at, _)| *at);
        results.into_iter().map(|(_, result)| result).collect()
    }

    fn top_jobs_with(&self, seeker: &Seeker, n: usize, scratch: &mut Scratch) -> Vec<Match> {
        scratch.work = SearchWork::default();
        if n == 0 || working_age_exclusion(seeker, self.day, &self.rule).is_some() {
            return Vec::new();
        }
        let query = self.query(seeker, scratch);
        self.search(&query, n, scratch);
        let sorted = std::mem::take(&mut scratch.heap).into_sorted_vec();
        let found = sorted
            .iter()
            .filter_map(|candidate| self.winner(&query, candidate, &scratch.skills))
            .collect();
        // The heap's buffer is kept for the next search.
        scratch.heap = BinaryHeap::from(sorted);
        scratch.heap.clear();
        found
    }

    /// A winner's match, made by the module's own scoring and listing of
    /// covered conflicts from what the index keeps of the job; the hard
    /// constraints were checked by the search.
    fn winner(&self, query: &Query<'_>, candidate: &Candidate, skills: &[u64]) -> Option<Match> {
        let entry = self.entries.get(candidate.entry)?;
        let district = usize::from(entry.district);
        let district = (district < DISTRICTS).then_some(district);
        let (arrangement, minutes) =
            place_at(&query.person, district, entry.remote_possible).ok()?;
        let (reserved, hours, education) = fixed_parts(usize::from(entry.fixed));
        let facts = JobFacts {
            occupation: *SubMajorGroup::ALL.get(usize::from(entry.occupation))?,
            skills_required: entry.skills_len,
            skills_matched: u32::try_from(self.matched(entry, skills)).unwrap_or(u32::MAX),
            education_required: education.checked_sub(1).map(|at| Education::ALL[at]),
            hours: *Hours::ALL.get(hours)?,
            monthly_wage: *self.wages.get(entry.wage_level as usize)?,
            reserved,
        };
        let scored = score_facts(query.person.seeker, &facts, arrangement, minutes);
        let levels = |demand: Demand| {
            let level = (entry.demands >> (demand as usize * 2)) & 0b11;
            // The higher level wins, as in `demand_level`.
            DemandLevel::ALL
                .iter()
                .rev()
                .find(|level_of| level & (1 << (**level_of as u32)) != 0)
                .copied()
        };
        let accommodated = accommodated_by(&query.person, levels, u64::from(entry.offered));
        // The reference path agrees, by construction; the property tests
        // check it in full.
        #[cfg(debug_assertions)]
        assert!(
            scored.score == candidate.score
                && self.jobs.get(candidate.index).is_some_and(|job| {
                    let posting = JobView::new(job);
                    evaluate(&query.person, &posting).is_ok_and(|reference| {
                        reference.into_match(&query.person, &posting)
                            == scored.into_match_with(&query.person, job.id, accommodated.clone())
                    })
                }),
            "the index disagrees with the reference path on job {}",
            candidate.id
        );
        Some(scored.into_match_with(&query.person, candidate.id, accommodated))
    }

    /// How many of an entry's required skills the person has.
    fn matched(&self, entry: &Entry, skills: &[u64]) -> usize {
        self.tags[entry.skills()]
            .iter()
            .filter(|tag| {
                skills
                    .get(**tag / 64)
                    .is_some_and(|word| word & (1 << (**tag % 64)) != 0)
            })
            .count()
    }

    /// The person's side, worked out once: the points of each occupation,
    /// location and fixed code, and their limitations as bits.
    fn query<'s>(&'s self, seeker: &'s Seeker, scratch: &mut Scratch) -> Query<'s> {
        let person = SeekerView::new(seeker);
        let mut occupation = [0; OCCUPATIONS];
        for position in &self.occupations {
            occupation[*position] = factor_score(
                Factor::Occupation,
                occupation_share(&seeker.desired_occupations, SubMajorGroup::ALL[*position]),
            )
            .points;
        }
        let mut location = [None; LOCATIONS];
        for key in &self.locations {
            let (district, remote_possible) = location_of(*key);
            if let Ok((arrangement, minutes)) = place_at(&person, district, remote_possible) {
                let points =
                    factor_score(Factor::Travel, travel_share(arrangement, minutes)).points;
                location[*key] = Some((points, arrangement == Arrangement::OnSite));
            }
        }
        let education = education_class(seeker.education);
        let hours = seeker.hours as usize;
        let limited = person.limitations.map_or(0, |limitations| {
            limitations
                .iter()
                .enumerate()
                .fold(0, |bits, (function, limitation)| {
                    bits | limitation_bit(function, *limitation as usize)
                })
        });
        scratch.skills.clear();
        scratch.skills.resize(self.words, 0);
        for tag in &seeker.skills {
            let trimmed = tag.trim();
            let number = if trimmed.bytes().any(|byte| byte.is_ascii_uppercase()) {
                self.vocabulary.get(&tag_key(trimmed))
            } else {
                self.vocabulary.get(trimmed)
            };
            if let Some(number) = number {
                scratch.skills[number / 64] |= 1 << (number % 64);
            }
        }
        Query {
            access_needed: u32::try_from(person.access_needed).unwrap_or(u32::MAX),
            person,
            occupation,
            location,
            fixed: &self.tables.fixed[hours][education],
            education,
            hours,
            expectation: seeker.wage_expectation,
            limited,
        }
    }

    /// Fills `scratch.heap` with the best `n`.
    fn search(&self, query: &Query<'_>, n: usize, scratch: &mut Scratch) {
        let Scratch {
            heap,
            skills,
            occupations,
            locations,
            occupation_runs,
            location_runs,
            pairs,
            buckets,
            wages,
            work,
        } = scratch;
        heap.clear();
        wages.start(self.wages.len());
        occupations.clear();
        occupations.extend(
            self.occupations
                .iter()
                .map(|position| (query.occupation[*position], *position)),
        );
        occupations.sort_unstable_by_key(|(points, _)| Reverse(*points));
        locations.clear();
        locations.extend(
            self.locations
                .iter()
                .filter_map(|key| Some((query.location[*key]?.0, *key))),
        );
        locations.sort_unstable_by_key(|(points, _)| Reverse(*points));
        runs(occupations, occupation_runs);
        runs(locations, location_runs);
        pairs.clear();
        for (occupation_run, (occupation_points, _, _)) in occupation_runs.iter().enumerate() {
            for (location_run, (location_points, _, _)) in location_runs.iter().enumerate() {
                pairs.push((
                    occupation_points + location_points,
                    occupation_run,
                    location_run,
                ));
            }
        }
        pairs.sort_unstable_by_key(|(points, _, _)| Reverse(*points));
        // Every factor but occupation and travel gives at most its weight.
        let rest = WEIGHTS.total() - WEIGHTS.occupation - WEIGHTS.travel;
        let mut search = Search {
            index: self,
            query,
            n,
            skills,
            heap,
            wages,
            work,
        };
        for (points, occupation_run, location_run) in pairs.iter() {
            if !can_beat(search.heap, n, points + rest, i64::MIN) {
                // The pairs come best first: none after can do better.
                break;
            }
            let (_, occupation_start, occupation_end) = occupation_runs[*occupation_run];
            let (_, location_start, location_end) = location_runs[*location_run];
            // The pair's buckets, best bound first, so the n-th best rises
            // early and prunes more of the rest.
            buckets.clear();
            for (occupation_points, occupation) in &occupations[occupation_start..occupation_end] {
                for (location_points, key) in &locations[location_start..location_end] {
                    let Some(bucket) = self.bucket_of[occupation * LOCATIONS + key] else {
                        continue;
                    };
                    let on_site = query.location[*key].is_some_and(|(_, on_site)| on_site);
                    let fixed = occupation_points + location_points;
                    search.work.buckets += 1;
                    let summary = &self.buckets[bucket].summary;
                    if !can_beat(
                        search.heap,
                        n,
                        fixed + search.quick_bound(summary),
                        summary.min_id,
                    ) {
                        continue;
                    }
                    if let Some(rest) = search.rest_bound(summary, on_site) {
                        buckets.push((fixed + rest, bucket, fixed, on_site));
                    }
                }
            }
            buckets.sort_unstable_by_key(|(bound, _, _, _)| Reverse(*bound));
            for (bound, bucket, fixed, on_site) in buckets.iter() {
                let bucket = &self.buckets[*bucket];
                if !can_beat(search.heap, n, *bound, bucket.summary.min_id) {
                    // Sorted by bound: once one cannot beat the n-th on
                    // score, none after can.
                    if search.heap.peek().is_some_and(|worst| *bound < worst.score) {
                        break;
                    }
                    continue;
                }
                search.bucket(bucket, *fixed, *on_site);
            }
        }
    }
}

/// One search's state.
struct Search<'i, 'q, 's> {
    index: &'i JobIndex,
    query: &'q Query<'q>,
    n: usize,
    skills: &'s [u64],
    heap: &'s mut BinaryHeap<Candidate>,
    wages: &'s mut WageMemo,
    work: &'s mut SearchWork,
}

impl Search<'_, '_, '_> {
    fn bucket(&mut self, bucket: &Bucket, fixed: u32, on_site: bool) {
        let index = self.index;
        for block in &index.blocks[bucket.blocks.clone()] {
            self.work.blocks += 1;
            let summary = &block.summary;
            if !can_beat(
                self.heap,
                self.n,
                fixed + self.quick_bound(summary),
                summary.min_id,
            ) {
                continue;
            }
            match self.rest_bound(summary, on_site) {
                Some(rest) if can_beat(self.heap, self.n, fixed + rest, summary.min_id) => {}
                _ => continue,
            }
            for at in block.entries.clone() {
                self.work.jobs += 1;
                if let Some(score) = self.score(&index.entries[at], index.ids[at], fixed, on_site) {
                    keep_best(
                        self.heap,
                        self.n,
                        Candidate {
                            score,
                            id: index.ids[at],
                            index: index.positions[at],
                            entry: at,
                        },
                    );
                }
            }
        }
    }

    /// A first, cheaper bound on the points of the factors other than
    /// occupation and travel: the summary's best for being reserved, hours
    /// and education, and the full weights of wage and skills.
    fn quick_bound(&self, summary: &Summary) -> u32 {
        u32::from(summary.fixed_best[self.query.hours][self.query.education])
            + WEIGHTS.wage
            + WEIGHTS.skills
    }

    /// The most points the factors other than occupation and travel can
    /// give any job of a summary; `None` if every job of it is excluded:
    /// on site for want of a workplace feature none offers, or by a
    /// conflict none covers.
    fn rest_bound(&mut self, summary: &Summary, on_site: bool) -> Option<u32> {
        let (index, query) = (self.index, self.query);
        if (on_site && missing_access(query.access_needed.into(), summary.offered_any.into()) != 0)
            || summary.excluded_all & query.limited != 0
        {
            return None;
        }
        let tables = &index.tables;
        let fixed = u32::from(summary.fixed_best[query.hours][query.education]);
        // More pay never gives fewer points (a test checks it), so the
        // highest wage bounds the block.
        let wage = self
            .wages
            .points(&index.wages, summary.max_wage_level, query.expectation);
        let skills = if summary.most_skills as usize > tables.skill_cap {
            WEIGHTS.skills
        } else {
            let union = if index.words <= INLINE_WORDS {
                &summary.union_inline[..index.words]
            } else {
                &index.unions[summary.union..summary.union + index.words]
            };
            let held: u32 = union
                .iter()
                .zip(self.skills)
                .map(|(required, held)| (required & held).count_ones())
                .sum();
            let held = (held as usize).min(tables.skill_cap);
            tables.skill_bound[summary.fewest_skills as usize * (tables.skill_cap + 1) + held]
        };
        Some(fixed + wage + skills)
    }

    /// The job's score, if it passes the hard constraints after location:
    /// access on site, and conflicts.
    fn score(&mut self, entry: &Entry, id: i64, fixed: u32, on_site: bool) -> Option<u32> {
        let (index, query) = (self.index, self.query);
        if entry.excluded & query.limited != 0
            || (on_site && missing_access(query.access_needed.into(), entry.offered.into()) != 0)
        {
            return None;
        }
        let known = fixed + query.fixed[usize::from(entry.fixed)];
        // The wage and the skills give at most their weights: a job that
        // cannot enter the best even so is not worth counting them.
        if !can_beat(self.heap, self.n, known + WEIGHTS.wage + WEIGHTS.skills, id) {
            return None;
        }
        let matched = index.matched(entry, self.skills);
        Some(
            known
                + self
                    .wages
                    .points(&index.wages, entry.wage_level, query.expectation)
                + index
                    .tables
                    .skill_points(matched, entry.skills_len as usize),
        )
    }
}

/// Whether a job scoring `bound` with an id of at least `min_id` could
/// still enter the best `n` kept in `heap`.
fn can_beat(heap: &BinaryHeap<Candidate>, n: usize, bound: u32, min_id: i64) -> bool {
    if heap.len() < n {
        return true;
    }
    heap.peek()
        .is_some_and(|worst| bound > worst.score || (bound == worst.score && min_id <= worst.id))
}

/// The runs of equal points in a list sorted by points: `(points, start,
/// end)`.
fn runs(sorted: &[(u32, usize)], out: &mut Vec<(u32, usize, usize)>) {
    out.clear();
    let mut start = 0;
    while start < sorted.len() {
        let points = sorted[start].0;
        let end = start + sorted[start..].partition_point(|(other, _)| *other == points);
        out.push((points, start, end));
        start = end;
    }
}
