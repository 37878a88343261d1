#![expect(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
    errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
}

fn course_input() -> ActivityInput {
    ActivityInput {
        kind: "course".into(),
        title: "中式面点师（初级）".into(),
        starts_on: "2024-03-01".into(),
        ends_on: "2024-04-30".into(),
        capacity: "3".into(),
        occupation: "51".into(),
        mode: "on_order".into(),
        provisions: vec!["sign_language".into(), "braille".into()],
        ..ActivityInput::default()
    }
}

#[test]
fn every_programme_credits_its_own_measure_and_has_units() {
    let measures: Vec<Measure> = Programme::ALL.iter().map(|p| p.measure()).collect();
    assert_eq!(
        measures,
        vec![
            Measure::PrivateEnterprises,
            Measure::Organisations,
            Measure::Auxiliary,
            Measure::Rural,
            Measure::BlindMassage,
            Measure::EmploymentService,
            Measure::Training,
        ]
    );
    for programme in Programme::ALL {
        assert!(!programme.unit_kinds().is_empty(), "{programme:?}");
    }
    // Each activity is run either by a unit of its own programme or pooled.
    for kind in ActivityKind::ALL {
        let run_by_unit = UnitKind::ALL
            .iter()
            .any(|u| u.activities().contains(kind) && u.programme() == kind.programme());
        assert!(run_by_unit != kind.pooled(), "{kind:?}");
    }
}

#[test]
fn a_training_institution_needs_its_accreditation_day_when_accredited() {
    let input = UnitInput {
        kind: "vocational_college".into(),
        name: "天津市残疾人职业技能培训学校".into(),
        district: "河西区".into(),
        accreditation: "accredited".into(),
        ..UnitInput::default()
    };
    let errors = validate_unit(Programme::Training, &input).unwrap_err();
    assert_eq!(fields(&errors), vec![("accredited_on", "required")]);
    let unit = validate_unit(
        Programme::Training,
        &UnitInput {
            accredited_on: "2022-05-10".into(),
            ..input
        },
    )
    .unwrap();
    assert_eq!(unit.district_code, "120103");
    assert_eq!(
        unit.accreditation,
        Some((Accreditation::Accredited, Some(day("2022-05-10"))))
    );
    assert_eq!(
        validate_unit(Programme::Training, &unit.to_input()),
        Ok(unit)
    );
}

#[test]
fn a_unit_of_another_programme_and_missing_fields_are_named_at_once() {
    let errors = validate_unit(
        Programme::Training,
        &UnitInput {
            kind: "workshop".into(),
            ..UnitInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            ("kind", "unknown_value"),
            ("name", "required"),
            ("district", "required")
        ]
    );
}

#[test]
fn a_workshop_needs_places_and_a_sunshine_workshop_an_agricultural_district() {
    let errors = validate_unit(
        Programme::Auxiliary,
        &UnitInput {
            kind: "workshop".into(),
            name: "河东区温馨工场".into(),
            district: "120102".into(),
            capacity: "0".into(),
            ..UnitInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("capacity", "out_of_range")]);
    let errors = validate_unit(
        Programme::Rural,
        &UnitInput {
            kind: "sunshine_workshop".into(),
            name: "阳光工场".into(),
            district: "和平区".into(),
            capacity: "20".into(),
            pilot: true,
            ..UnitInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("district", "not_agricultural")]);
    let unit = validate_unit(
        Programme::Rural,
        &UnitInput {
            kind: "sunshine_workshop".into(),
            name: "阳光工场".into(),
            district: "蓟州区".into(),
            capacity: "20".into(),
            pilot: true,
            brands: "蓟州山货，盘山栗子\n蓟州山货".into(),
            ..UnitInput::default()
        },
    )
    .unwrap();
    assert!(unit.pilot);
    assert_eq!(unit.brands, vec!["蓟州山货", "盘山栗子"]);
}

#[test]
fn a_base_review_is_due_a_year_after_the_last() {
    let base = validate_unit(
        Programme::Training,
        &UnitInput {
            kind: "training_base".into(),
            name: "基地".into(),
            district: "120104".into(),
            capacity: "40".into(),
            compliant: true,
            reviewed_on: "2023-06-30".into(),
            ..UnitInput::default()
        },
    )
    .unwrap();
    assert!(base.compliant);
    assert!(!base.review_due(day("2024-06-30")));
    assert!(base.review_due(day("2024-07-01")));
}

#[test]
fn a_course_takes_its_occupation_mode_places_and_provisions() {
    let course = validate_activity(
        Programme::Training,
        Some((UnitKind::VocationalCollege, "120103")),
        &course_input(),
    )
    .unwrap();
    assert_eq!(course.capacity, Some(3));
    assert_eq!(course.mode, Some(TrainingMode::OnOrder));
    assert_eq!(course.occupation, Some(SubMajorGroup::PersonalServices));
    assert_eq!(course.district_code, "120103");
    assert_eq!(
        course.provisions,
        vec![AccessNeed::SignLanguage, AccessNeed::Braille]
    );
    assert_eq!(
        validate_activity(
            Programme::Training,
            Some((UnitKind::VocationalCollege, "120103")),
            &course.to_input()
        ),
        Ok(course)
    );
    let errors = validate_activity(
        Programme::Training,
        Some((UnitKind::VocationalCollege, "120103")),
        &ActivityInput {
            ends_on: "2024-02-01".into(),
            capacity: String::new(),
            mode: "online".into(),
            ..course_input()
        },
    )
    .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            ("ends_on", "before_start"),
            ("capacity", "required"),
            ("mode", "unknown_value")
        ]
    );
}

#[test]
fn a_labour_project_is_pooled_with_its_source_volume_and_price() {
    let input = ActivityInput {
        kind: "labour_project".into(),
        title: "医院被服折叠".into(),
        district: "河北区".into(),
        starts_on: "2024-01-01".into(),
        ends_on: "2024-12-31".into(),
        limit: "12,000".into(),
        unit_price: "0.35".into(),
        source_kind: "hospital".into(),
        source_name: "天津市第一中心医院".into(),
        scope: "被服折叠与包装".into(),
        ..ActivityInput::default()
    };
    let project = validate_activity(Programme::Auxiliary, None, &input).unwrap();
    assert_eq!(project.limit, Some(Decimal::from(12_000)));
    assert_eq!(project.district_code, "120105");
    // A workshop does not run one itself; the district pools it.
    let errors = validate_activity(
        Programme::Auxiliary,
        Some((UnitKind::Workshop, "120105")),
        &input,
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("kind", "unknown_value")]);
    let errors = validate_activity(
        Programme::Auxiliary,
        None,
        &ActivityInput {
            limit: "-1".into(),
            unit_price: "0.355".into(),
            source_kind: String::new(),
            ..input
        },
    )
    .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            ("limit", "invalid_amount"),
            ("unit_price", "invalid_amount"),
            ("source_kind", "required")
        ]
    );
}

#[test]
fn joins_take_the_activity_role_or_one_the_unit_takes() {
    let input = JoinInput {
        id_number: "120101199001011234".into(),
        name: "王芳".into(),
        joined_on: "2024-03-01".into(),
        ..JoinInput::default()
    };
    let join = validate_join(
        UnitKind::VocationalCollege,
        Some(ActivityKind::Course),
        &input,
    )
    .unwrap();
    assert_eq!(join.role, Role::Trainee);
    let errors = validate_join(UnitKind::Workshop, None, &input).unwrap_err();
    assert_eq!(fields(&errors), vec![("role", "required")]);
    let errors = validate_join(
        UnitKind::Workshop,
        None,
        &JoinInput {
            role: "practitioner".into(),
            ..input.clone()
        },
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("role", "unknown_value")]);
    let join = validate_join(
        UnitKind::RuralBase,
        None,
        &JoinInput {
            role: "worker".into(),
            monthly_income: "2,100".into(),
            income_before: "1500".into(),
            ..input
        },
    )
    .unwrap();
    assert_eq!(join.monthly_income, Some(Decimal::from(2100)));
    assert_eq!(join.income_before, Some(Decimal::from(1500)));
}

#[test]
fn only_trainees_complete_and_the_day_is_not_before_joining() {
    let joined = day("2024-03-01");
    let done = validate_progress(
        Role::Trainee,
        joined,
        &ProgressInput {
            status: "completed".into(),
            ended_on: "2024-04-30".into(),
            sessions_attended: "18".into(),
            certificate: "JN-2024-0001".into(),
            ..ProgressInput::default()
        },
        BlankIncome::Keeps,
    )
    .unwrap();
    assert_eq!(done.status, Status::Completed);
    assert_eq!(done.sessions_attended, Some(18));
    let none_attended = validate_progress(
        Role::Trainee,
        joined,
        &ProgressInput {
            status: "withdrawn".into(),
            ended_on: "2024-03-02".into(),
            sessions_attended: "0".into(),
            ..ProgressInput::default()
        },
        BlankIncome::Keeps,
    )
    .unwrap();
    assert_eq!(none_attended.sessions_attended, Some(0));
    let errors = validate_progress(
        Role::Worker,
        joined,
        &ProgressInput {
            status: "completed".into(),
            ended_on: "2024-02-01".into(),
            certificate: "x".into(),
            ..ProgressInput::default()
        },
        BlankIncome::Keeps,
    )
    .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![("status", "unknown_value"), ("ended_on", "before_joining")]
    );
    let errors = validate_progress(
        Role::Trainee,
        joined,
        &ProgressInput {
            status: "active".into(),
            certificate: "x".into(),
            ..ProgressInput::default()
        },
        BlankIncome::Keeps,
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("certificate", "not_completed")]);
}

#[test]
fn a_blank_income_keeps_the_one_recorded_unless_a_form_emptied_it() {
    let joined = day("2024-03-01");
    let progress = |income: &str, blank| {
        validate_progress(
            Role::Worker,
            joined,
            &ProgressInput {
                status: "active".into(),
                monthly_income: income.into(),
                ..ProgressInput::default()
            },
            blank,
        )
        .map(|p| p.monthly_income)
    };
    let before = Some(Decimal::from(1800));
    let kept = progress(" ", BlankIncome::Keeps).unwrap();
    assert_eq!(
        (kept, kept.applied_to(before)),
        (IncomeChange::Keep, before)
    );
    let cleared = progress("", BlankIncome::Clears).unwrap();
    assert_eq!(
        (cleared, cleared.applied_to(before)),
        (IncomeChange::Clear, None)
    );
    let set = progress("２,１００", BlankIncome::Clears).unwrap();
    assert_eq!(set.applied_to(before), Some(Decimal::from(2100)));
    // Zero is an income (none earned this month), not a blank.
    let zero = progress("0", BlankIncome::Clears).unwrap();
    assert_eq!(zero, IncomeChange::Set(Decimal::ZERO));
    let errors = progress("-5", BlankIncome::Clears).unwrap_err();
    assert_eq!(fields(&errors), vec![("monthly_income", "invalid_amount")]);
}

fn trainee(status: Status, ended_on: Option<&str>) -> Placeable {
    Placeable {
        programme: Programme::Training,
        role: Role::Trainee,
        status,
        joined_on: day("2024-03-01"),
        ended_on: ended_on.map(day),
        placed: false,
    }
}

fn started(on: &str) -> PlacementInput {
    PlacementInput {
        started_on: on.into(),
        ..PlacementInput::default()
    }
}

/// The built-in preset's placement window.
const SIX: u32 = 6;

#[test]
fn a_trainee_placed_within_six_months_of_completion_counts_for_measure_ten() {
    let done = trainee(Status::Completed, Some("2024-04-30"));
    assert_eq!(placement_deadline(day("2024-04-30"), 6), day("2024-10-30"));
    let placement = validate_placement(&done, &started("2024-10-30"), SIX).unwrap();
    assert_eq!(placement.measure, Measure::Training);
    assert_eq!(placement.form, EmploymentForm::Quota);
    for outside in ["2024-10-31", "2024-04-29"] {
        let errors = validate_placement(&done, &started(outside), SIX).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("started_on", "outside_window")],
            "{outside}"
        );
    }
    let errors = validate_placement(&trainee(Status::Active, None), &started("2024-05-01"), SIX)
        .unwrap_err();
    assert_eq!(fields(&errors), vec![("started_on", "not_completed")]);
}

#[test]
fn a_participation_places_once_and_helped_people_not_here() {
    let placed = Placeable {
        placed: true,
        ..trainee(Status::Completed, Some("2024-04-30"))
    };
    let errors = validate_placement(&placed, &started("2024-05-10"), SIX).unwrap_err();
    assert_eq!(fields(&errors), vec![("started_on", "already_placed")]);
    let helped = Placeable {
        programme: Programme::Rural,
        role: Role::Helped,
        status: Status::Active,
        joined_on: day("2024-01-01"),
        ended_on: None,
        placed: false,
    };
    let errors = validate_placement(&helped, &started("2024-05-10"), SIX).unwrap_err();
    assert_eq!(fields(&errors), vec![("started_on", "role_not_placed")]);
    let worker = Placeable {
        role: Role::Worker,
        ..helped
    };
    let placement = validate_placement(&worker, &started("2024-05-10"), SIX).unwrap();
    assert_eq!(placement.measure, Measure::Rural);
    assert_eq!(placement.form, EmploymentForm::Agriculture);
}

#[test]
fn a_draw_beyond_what_remains_is_refused_on_its_amount() {
    let input = DrawInput {
        amount: "5000".into(),
        on_date: "2024-02-01".into(),
        unit_id: "7".into(),
        ..DrawInput::default()
    };
    let draw = validate_draw(
        ActivityKind::LabourProject,
        Some(Decimal::from(5000)),
        &input,
    )
    .unwrap();
    assert_eq!(draw.to, DrawTo::Unit(7));
    let errors = validate_draw(
        ActivityKind::LabourProject,
        Some(Decimal::from(4999)),
        &input,
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("amount", "over_limit")]);
    assert!(errors[0].message_en.contains("4999"));
    let errors = validate_draw(
        ActivityKind::Contract,
        Some(Decimal::from(100_000)),
        &DrawInput {
            note: String::new(),
            ..input.clone()
        },
    )
    .unwrap_err();
    assert_eq!(fields(&errors), vec![("note", "required")]);
    let errors = validate_draw(
        ActivityKind::WaiverScheme,
        None,
        &DrawInput {
            until: "2024-01-01".into(),
            purpose: "rent".into(),
            ..input.clone()
        },
    )
    .unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            ("until", "before_start"),
            ("id_number", "required"),
            ("purpose", "unknown_value")
        ]
    );
    assert!(validate_draw(ActivityKind::Course, None, &input).is_err());
}

#[test]
fn rural_criteria_are_met_one_by_one() {
    let criteria = RuralCriteria::default();
    let assessed = criteria.assess(&RuralFigures {
        employed: 12,
        helped: 29,
        trained: 20,
        income_gain: Some(Decimal::new(31_050, 2)),
    });
    let met: Vec<(&str, bool)> = assessed.iter().map(|c| (c.code, c.met)).collect();
    assert_eq!(
        met,
        vec![
            ("employed", true),
            ("helped", false),
            ("trained", true),
            ("income_gain", true)
        ]
    );
}
