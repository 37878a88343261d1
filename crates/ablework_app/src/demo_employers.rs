//! The demo's employers and two years of their quota declarations, written
//! through the store's bulk paths with the same assessment as filed ones.

use std::collections::HashMap;

use ablework_demo::employers::{SyntheticEmployer, declaration_for};
use ablework_domain::levy::{self, EmployerKind};
use ablework_domain::working_age;
use ablework_store::{
    DeclarationFigures, DeclarationRecord, DeclarationStatus, DeclaredEmployee, EmployerFields,
    EmployerFilter, EmployerScope, NewAuditEntry, PersonFilter, PersonScope,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;

use crate::App;
use crate::demo::DEMO_DISTRICT;
use crate::employers::to_levy;
use crate::error::{AppError, AppResult};

/// The data years declared in the demo, with the day they were declared
/// and the (synthetic) local social average wage of the year.
const YEARS: [(i32, (i32, u32, u32), i64); 2] = [
    (2023, (2024, 6, 28), 104_000),
    (2024, (2025, 6, 27), 108_000),
];

/// Employers and declarations go into one transaction per this many.
const BATCH: usize = 500;

/// A registered person who can be declared: of working age through both
/// demo years.
struct Candidate {
    id: i64,
    name: String,
    certificate_masked: String,
    level: u8,
    district_code: String,
}

/// A small deterministic mix of the seed and two numbers, for choices that
/// must not change between runs.
pub(crate) fn mix(seed: u64, a: u64, b: u64) -> u64 {
    let mut z =
        seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn date((year, month, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl App {
    /// Registers `count` synthetic employers and their declarations for
    /// 2023 and 2024, and returns the id of the employer the demo's
    /// `employer` account belongs to (an enterprise of the demo district).
    pub(crate) async fn seed_demo_employers(
        &self,
        count: usize,
        seed: u64,
    ) -> AppResult<Option<i64>> {
        if count == 0 {
            return Ok(None);
        }
        let synthetic: Vec<SyntheticEmployer> =
            ablework_demo::employers::employers(seed, count).collect();
        for chunk in synthetic.chunks(BATCH) {
            let fields: Vec<EmployerFields> = chunk.iter().map(fields_of).collect();
            let audit =
                NewAuditEntry::new(self.now(), None, "system", "employer.import", "employer")
                    .with_detail(json!({ "source": "demo", "seed": seed }));
            self.store
                .insert_employers(&fields, self.now(), audit)
                .await?;
        }
        let ids = self.employer_ids().await?;
        let mut candidates = self.demo_candidates().await?;
        let mut declarations = Vec::new();
        let mut assigned: HashMap<usize, Vec<(usize, u8)>> = HashMap::new();
        for (index, employer) in synthetic.iter().enumerate() {
            let Some(&id) = ids.get(&employer.credit_code) else {
                continue;
            };
            let wanted = declaration_for(seed, index, employer, YEARS[0].0).disabled_employees;
            let people = take_people(&mut candidates, employer.district_code, wanted, seed, index);
            assigned.insert(index, people);
            for (year, declared_on, social) in YEARS {
                let figures = declaration_for(seed, index, employer, year);
                let chosen = &assigned[&index];
                let employees: Vec<DeclaredEmployee> = chosen
                    .iter()
                    .take(figures.disabled_employees.max(chosen.len().min(1)))
                    .map(|&(at, from)| {
                        let person = &candidates.pool[at];
                        let roll = mix(
                            seed,
                            person.id.unsigned_abs(),
                            u64::try_from(year).unwrap_or(0),
                        );
                        DeclaredEmployee {
                            person_id: person.id,
                            name: person.name.clone(),
                            certificate_masked: person.certificate_masked.clone(),
                            level: person.level,
                            from_month: from,
                            to_month: 12,
                            contract_ok: true,
                            min_wage_ok: true,
                            insured_ok: !roll.is_multiple_of(20),
                        }
                    })
                    .collect();
                let status = match mix(seed, index as u64, u64::try_from(year).unwrap_or(0)) % 100 {
                    _ if year == YEARS[0].0 => DeclarationStatus::Approved,
                    0..=84 => DeclarationStatus::Approved,
                    85..=96 => DeclarationStatus::Submitted,
                    _ => DeclarationStatus::Returned,
                };
                let record = self.demo_record(
                    employer,
                    id,
                    year,
                    date(declared_on),
                    social,
                    &figures,
                    employees,
                )?;
                declarations.push((id, year, status, record.figures));
            }
        }
        for chunk in declarations.chunks(BATCH) {
            let audit = NewAuditEntry::new(
                self.now(),
                None,
                "system",
                "declaration.import",
                "declaration",
            )
            .with_detail(json!({ "source": "demo", "seed": seed }));
            self.store
                .insert_declarations(chunk, self.now(), audit)
                .await?;
        }
        // The demo employer's HR should see a shortfall to work on: a
        // mid-sized enterprise of the demo district that declared no
        // disabled employee, if there is one.
        let mid_sized = |e: &&SyntheticEmployer| {
            e.kind == EmployerKind::Enterprise
                && e.district_code == DEMO_DISTRICT
                && (80..=400).contains(&e.staff)
        };
        let short = synthetic
            .iter()
            .enumerate()
            .find(|(index, e)| mid_sized(e) && assigned.get(index).is_some_and(Vec::is_empty));
        Ok(short
            .map(|(_, e)| e)
            .or_else(|| synthetic.iter().find(mid_sized))
            .and_then(|e| ids.get(&e.credit_code).copied()))
    }

    async fn employer_ids(&self) -> AppResult<HashMap<String, i64>> {
        let mut ids = HashMap::new();
        let mut filter = EmployerFilter::new(EmployerScope::All);
        filter.per_page = 500;
        loop {
            let page = self.store.list_employers(&filter).await?;
            let done = page.items.len() < 500;
            ids.extend(page.items.into_iter().map(|e| (e.fields.credit_code, e.id)));
            if done {
                return Ok(ids);
            }
            filter.page += 1;
        }
    }

    /// Every registered person of working age through the demo years, by
    /// district.
    async fn demo_candidates(&self) -> AppResult<Candidates> {
        let rule = &self.config.policy.working_age;
        let first = NaiveDate::from_ymd_opt(YEARS[0].0, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(YEARS[1].0, 12, 31).unwrap_or(NaiveDate::MIN);
        let filter = PersonFilter::new(PersonScope::All);
        let mut pool = Vec::new();
        let mut after = 0;
        loop {
            let found = self.store.persons_after(&filter, after, 2_000).await?;
            let Some(tail) = found.last() else { break };
            after = tail.id;
            pool.extend(
                found
                    .into_iter()
                    .filter(|p| {
                        p.active
                            && working_age::is_working_age(
                                p.birth_date,
                                p.retirement_group,
                                first,
                                rule,
                            )
                            && working_age::is_working_age(
                                p.birth_date,
                                p.retirement_group,
                                last,
                                rule,
                            )
                    })
                    .map(|p| Candidate {
                        id: p.id,
                        name: p.name,
                        certificate_masked: p.certificate_masked,
                        level: p.level,
                        district_code: p.district_code,
                    }),
            );
        }
        let mut by_district: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, person) in pool.iter().enumerate() {
            by_district
                .entry(person.district_code.clone())
                .or_default()
                .push(at);
        }
        Ok(Candidates {
            pool,
            by_district,
            used: HashMap::new(),
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one synthetic declaration's parts"
    )]
    fn demo_record(
        &self,
        employer: &SyntheticEmployer,
        id: i64,
        year: i32,
        declared_on: NaiveDate,
        social: i64,
        figures: &ablework_demo::employers::SyntheticDeclaration,
        employees: Vec<DeclaredEmployee>,
    ) -> AppResult<DeclarationRecord> {
        let preset = &self.config.policy;
        let mut record = DeclarationRecord {
            id: 0,
            employer_id: id,
            employer_name: employer.name.clone(),
            district_code: employer.district_code.to_owned(),
            kind: employer.kind,
            data_year: year,
            status: DeclarationStatus::Submitted,
            figures: DeclarationFigures {
                declared_on,
                monthly_headcount: figures
                    .monthly_headcount
                    .iter()
                    .map(|&n| Decimal::from(n))
                    .collect(),
                seasonal: figures
                    .seasonal
                    .iter()
                    .map(|&(count, months)| (Decimal::from(count), months))
                    .collect(),
                total_wages: Decimal::from(figures.total_wages),
                social_average_wage: Decimal::from(social),
                employees,
                policy_id: preset.id.clone(),
                policy_version: i32::try_from(preset.version).unwrap_or(i32::MAX),
                headcount: Decimal::ZERO,
                counted: Decimal::ZERO,
                shortfall: Decimal::ZERO,
                levy: Decimal::ZERO,
            },
            events: Vec::new(),
        };
        let calculation = levy::assess_with(&to_levy(&record), preset).map_err(|e| {
            AppError::Internal(format!("a demo declaration does not assess: {e:?}"))
        })?;
        record.figures.headcount = calculation.headcount();
        record.figures.counted = calculation.counted();
        record.figures.shortfall = calculation.shortfall();
        record.figures.levy = calculation.levy();
        Ok(record)
    }
}

/// The people the demo can declare, and how often each is declared.
struct Candidates {
    pool: Vec<Candidate>,
    by_district: HashMap<String, Vec<usize>>,
    used: HashMap<String, usize>,
}

/// Chooses `wanted` people of a district for one employer, each with the
/// month they started (most worked the whole year). About one employer in
/// 150 also declares someone another employer declares: the double claims
/// officers must resolve.
fn take_people(
    candidates: &mut Candidates,
    district: &str,
    wanted: usize,
    seed: u64,
    index: usize,
) -> Vec<(usize, u8)> {
    let Some(list) = candidates.by_district.get(district) else {
        return Vec::new();
    };
    if list.is_empty() {
        return Vec::new();
    }
    let cursor = candidates.used.entry(district.to_owned()).or_insert(0);
    let mut chosen = Vec::with_capacity(wanted);
    for n in 0..wanted {
        if *cursor >= list.len() {
            break;
        }
        let roll = mix(seed, index as u64, n as u64);
        let from = if roll.is_multiple_of(10) {
            u8::try_from(roll % 9 + 2).unwrap_or(1)
        } else {
            1
        };
        chosen.push((list[*cursor], from));
        *cursor += 1;
    }
    if mix(seed, index as u64, 7_777).is_multiple_of(150) && *cursor > 1 {
        let other = list[*cursor / 2];
        if !chosen.iter().any(|(at, _)| *at == other) {
            chosen.push((other, 4));
        }
    }
    chosen
}

/// Whether a synthetic enterprise is state-owned: Tianjin's utilities of
/// any size past a small office, and the large enterprises of transport,
/// manufacturing, construction and finance, where the state's share is
/// largest.
fn state_owned(employer: &SyntheticEmployer) -> bool {
    employer.kind == EmployerKind::Enterprise
        && match employer.sector {
            "utilities" => employer.staff >= 100,
            "logistics" | "manufacturing" | "construction" | "finance" => employer.staff >= 500,
            _ => false,
        }
}

fn fields_of(employer: &SyntheticEmployer) -> EmployerFields {
    EmployerFields {
        state_owned: state_owned(employer),
        credit_code: employer.credit_code.clone(),
        name: employer.name.clone(),
        kind: employer.kind,
        is_school: employer.is_school,
        staffing_quota: employer
            .staffing_quota
            .map(|s| i32::try_from(s).unwrap_or(i32::MAX)),
        staff: i32::try_from(employer.staff).unwrap_or(i32::MAX),
        district_code: employer.district_code.to_owned(),
        sector: employer.sector.to_owned(),
    }
}
