//! Transcripts of the built-in case under each protocol.

use expect_test::{Expect, expect};

use crate::helpers::{render, run, talks};

fn check(protocol: &str, strategies: &str, n_rounds: usize, expect: Expect) {
    let scenario = talks();
    let actual = render(&scenario, &run(&scenario, protocol, strategies, n_rounds, 7));
    expect.assert_eq(&actual);
}

#[test]
fn alternating_offers_with_linear_agents() {
    check(
        "alternating-offers",
        "linear",
        6,
        expect![[r#"
            0 russia offer [0, 0, 2, 0, 1, 0] [0.759 0.252 0.562]
            0 ukraine reject [0, 0, 2, 0, 1, 0] [0.759 0.252 0.562]
            0 ukraine offer [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            0 europe accept [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            1 russia reject [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            1 russia offer [0, 0, 2, 0, 0, 0] [0.743 0.252 0.623]
            1 ukraine reject [0, 0, 2, 0, 0, 0] [0.743 0.252 0.623]
            1 ukraine offer [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            1 europe accept [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            2 russia reject [2, 1, 2, 0, 0, 1] [0.257 0.813 0.746]
            2 russia offer [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            2 ukraine reject [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            2 ukraine offer [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            2 europe accept [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            3 russia reject [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            3 russia offer [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            3 ukraine reject [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            3 ukraine offer [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            3 europe accept [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            4 russia reject [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            4 russia offer [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            4 ukraine reject [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            4 ukraine offer [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            4 europe accept [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            5 russia reject [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            5 russia offer [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 ukraine reject [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 ukraine offer [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            5 europe accept [1, 1, 2, 0, 0, 1] [0.289 0.709 0.746]
            agreement None rounds 6 utilities [0.400 0.350 0.300] nash None frontier Some("0.455")
        "#]],
    );
}

#[test]
fn hill_climbing() {
    check(
        "single-text-hill-climbing",
        "linear",
        6,
        expect![[r#"
            0 mediator adopt [0, 0, 0, 0, 0, 1] [0.678 0.409 0.469]
            0 mediator propose [1, 0, 0, 0, 0, 1] [0.419 0.539 0.469]
            0 russia veto [1, 0, 0, 0, 0, 1] [0.419 0.539 0.469]
            0 ukraine accept [1, 0, 0, 0, 0, 1] [0.419 0.539 0.469]
            0 europe accept [1, 0, 0, 0, 0, 1] [0.419 0.539 0.469]
            1 mediator propose [0, 0, 0, 1, 0, 1] [0.678 0.409 0.469]
            1 russia accept [0, 0, 0, 1, 0, 1] [0.678 0.409 0.469]
            1 ukraine accept [0, 0, 0, 1, 0, 1] [0.678 0.409 0.469]
            1 europe accept [0, 0, 0, 1, 0, 1] [0.678 0.409 0.469]
            1 mediator adopt [0, 0, 0, 1, 0, 1] [0.678 0.409 0.469]
            2 mediator propose [1, 0, 0, 1, 0, 1] [0.419 0.539 0.469]
            2 russia veto [1, 0, 0, 1, 0, 1] [0.419 0.539 0.469]
            2 ukraine accept [1, 0, 0, 1, 0, 1] [0.419 0.539 0.469]
            2 europe accept [1, 0, 0, 1, 0, 1] [0.419 0.539 0.469]
            3 mediator propose [0, 0, 2, 1, 0, 1] [0.678 0.461 0.746]
            3 russia accept [0, 0, 2, 1, 0, 1] [0.678 0.461 0.746]
            3 ukraine accept [0, 0, 2, 1, 0, 1] [0.678 0.461 0.746]
            3 europe accept [0, 0, 2, 1, 0, 1] [0.678 0.461 0.746]
            3 mediator adopt [0, 0, 2, 1, 0, 1] [0.678 0.461 0.746]
            4 mediator propose [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            4 russia accept [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            4 ukraine accept [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            4 europe accept [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            4 mediator adopt [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            5 mediator propose [0, 0, 0, 1, 2, 1] [0.695 0.409 0.408]
            5 russia accept [0, 0, 0, 1, 2, 1] [0.695 0.409 0.408]
            5 ukraine veto [0, 0, 0, 1, 2, 1] [0.695 0.409 0.408]
            5 europe veto [0, 0, 0, 1, 2, 1] [0.695 0.409 0.408]
            5 russia accept [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            5 ukraine reject [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            5 europe accept [0, 0, 2, 1, 2, 1] [0.695 0.461 0.685]
            agreement None rounds 6 utilities [0.400 0.350 0.300] nash None frontier Some("0.455")
        "#]],
    );
}

#[test]
fn veto_with_nash_mediator() {
    check(
        "single-text-veto",
        "nash-mediator,boulware",
        6,
        expect![[r#"
            0 mediator adopt [0, 0, 0, 0, 0, 1] [0.678 0.409 0.469]
            0 mediator propose [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            0 russia veto [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            0 ukraine veto [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            0 europe accept [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            1 mediator propose [0, 1, 0, 0, 0, 1] [0.549 0.526 0.469]
            1 russia veto [0, 1, 0, 0, 0, 1] [0.549 0.526 0.469]
            1 ukraine veto [0, 1, 0, 0, 0, 1] [0.549 0.526 0.469]
            1 europe veto [0, 1, 0, 0, 0, 1] [0.549 0.526 0.469]
            2 mediator propose [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            2 russia accept [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            2 ukraine veto [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            2 europe accept [0, 0, 2, 0, 0, 1] [0.678 0.461 0.746]
            3 russia accept [0, 0, 0, 0, 0, 1] [0.678 0.409 0.469]
            3 ukraine reject [0, 0, 0, 0, 0, 1] [0.678 0.409 0.469]
            3 europe reject [0, 0, 0, 0, 0, 1] [0.678 0.409 0.469]
            agreement None rounds 4 utilities [0.400 0.350 0.300] nash None frontier Some("0.455")
        "#]],
    );
}

#[test]
fn shuttle_with_nash_mediator() {
    check(
        "shuttle",
        "nash-mediator,linear",
        8,
        expect![[r#"
            0 mediator propose [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            0 ukraine veto [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            0 mediator adopt [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            1 mediator propose [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            1 russia veto [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            1 mediator adopt [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            2 mediator propose [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            2 ukraine veto [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            2 europe accept [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            2 mediator adopt [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            3 mediator propose [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            3 ukraine veto [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            3 mediator adopt [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            4 mediator propose [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            4 russia veto [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            4 mediator adopt [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 mediator propose [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 ukraine veto [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 europe accept [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            5 mediator adopt [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            6 mediator propose [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            6 ukraine veto [1, 0, 2, 0, 1, 1] [0.435 0.591 0.685]
            6 mediator adopt [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            7 mediator propose [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            7 russia veto [2, 0, 2, 0, 1, 1] [0.403 0.696 0.685]
            7 mediator adopt [0, 1, 2, 0, 0, 1] [0.549 0.578 0.746]
            agreement None rounds 8 utilities [0.400 0.350 0.300] nash None frontier Some("0.455")
        "#]],
    );
}

#[test]
fn same_seed_same_transcript() {
    let scenario = talks();
    for protocol in
        ["alternating-offers", "single-text-hill-climbing", "single-text-veto", "shuttle"]
    {
        for strategies in ["random", "tit-for-tat,conceder", "recorded", "boulware:0.1"] {
            let first = run(&scenario, protocol, strategies, 40, 11);
            let second = run(&scenario, protocol, strategies, 40, 11);
            assert_eq!(first, second, "{protocol} {strategies}");
        }
    }
}
