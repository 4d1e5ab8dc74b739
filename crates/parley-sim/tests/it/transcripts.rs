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
            0 russia offer [0, 0, 2, 0, 1, 0] [0.718 0.285 0.548]
            0 ukraine reject [0, 0, 2, 0, 1, 0] [0.718 0.285 0.548]
            0 ukraine offer [2, 1, 2, 0, 0, 1] [0.295 0.772 0.694]
            0 europe accept [2, 1, 2, 0, 0, 1] [0.295 0.772 0.694]
            1 russia reject [2, 1, 2, 0, 0, 1] [0.295 0.772 0.694]
            1 russia offer [0, 0, 2, 0, 0, 0] [0.705 0.285 0.597]
            1 ukraine reject [0, 0, 2, 0, 0, 0] [0.705 0.285 0.597]
            1 ukraine offer [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            1 europe accept [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            2 russia reject [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            2 russia offer [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            2 ukraine reject [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            2 ukraine offer [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            2 europe accept [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            3 russia reject [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            3 russia offer [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            3 ukraine reject [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            3 ukraine offer [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            3 europe accept [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            4 russia reject [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            4 russia offer [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            4 ukraine reject [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            4 ukraine offer [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            4 europe accept [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            5 russia reject [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            5 russia offer [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 ukraine reject [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 ukraine offer [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            5 europe accept [1, 1, 2, 0, 0, 1] [0.323 0.681 0.694]
            agreement None rounds 6 utilities [0.400 0.350 0.330] nash None frontier Some("0.392")
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
            0 mediator adopt [0, 0, 0, 0, 0, 1] [0.650 0.421 0.476]
            0 mediator propose [1, 0, 0, 0, 0, 1] [0.432 0.534 0.476]
            0 russia veto [1, 0, 0, 0, 0, 1] [0.432 0.534 0.476]
            0 ukraine accept [1, 0, 0, 0, 0, 1] [0.432 0.534 0.476]
            0 europe accept [1, 0, 0, 0, 0, 1] [0.432 0.534 0.476]
            1 mediator propose [0, 0, 0, 1, 0, 1] [0.650 0.421 0.476]
            1 russia accept [0, 0, 0, 1, 0, 1] [0.650 0.421 0.476]
            1 ukraine accept [0, 0, 0, 1, 0, 1] [0.650 0.421 0.476]
            1 europe accept [0, 0, 0, 1, 0, 1] [0.650 0.421 0.476]
            1 mediator adopt [0, 0, 0, 1, 0, 1] [0.650 0.421 0.476]
            2 mediator propose [1, 0, 0, 1, 0, 1] [0.432 0.534 0.476]
            2 russia veto [1, 0, 0, 1, 0, 1] [0.432 0.534 0.476]
            2 ukraine accept [1, 0, 0, 1, 0, 1] [0.432 0.534 0.476]
            2 europe accept [1, 0, 0, 1, 0, 1] [0.432 0.534 0.476]
            3 mediator propose [0, 0, 2, 1, 0, 1] [0.650 0.466 0.694]
            3 russia accept [0, 0, 2, 1, 0, 1] [0.650 0.466 0.694]
            3 ukraine accept [0, 0, 2, 1, 0, 1] [0.650 0.466 0.694]
            3 europe accept [0, 0, 2, 1, 0, 1] [0.650 0.466 0.694]
            3 mediator adopt [0, 0, 2, 1, 0, 1] [0.650 0.466 0.694]
            4 mediator propose [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            4 russia accept [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            4 ukraine accept [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            4 europe accept [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            4 mediator adopt [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            5 mediator propose [0, 0, 0, 1, 2, 1] [0.664 0.421 0.427]
            5 russia accept [0, 0, 0, 1, 2, 1] [0.664 0.421 0.427]
            5 ukraine veto [0, 0, 0, 1, 2, 1] [0.664 0.421 0.427]
            5 europe veto [0, 0, 0, 1, 2, 1] [0.664 0.421 0.427]
            5 russia accept [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            5 ukraine reject [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            5 europe accept [0, 0, 2, 1, 2, 1] [0.664 0.466 0.645]
            agreement None rounds 6 utilities [0.400 0.350 0.330] nash None frontier Some("0.392")
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
            0 mediator adopt [0, 0, 0, 0, 0, 1] [0.650 0.421 0.476]
            0 mediator propose [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            0 russia veto [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            0 ukraine veto [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            0 europe accept [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            1 mediator propose [0, 1, 0, 0, 0, 1] [0.541 0.523 0.476]
            1 russia veto [0, 1, 0, 0, 0, 1] [0.541 0.523 0.476]
            1 ukraine veto [0, 1, 0, 0, 0, 1] [0.541 0.523 0.476]
            1 europe veto [0, 1, 0, 0, 0, 1] [0.541 0.523 0.476]
            2 mediator propose [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            2 russia accept [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            2 ukraine veto [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            2 europe accept [0, 0, 2, 0, 0, 1] [0.650 0.466 0.694]
            3 russia accept [0, 0, 0, 0, 0, 1] [0.650 0.421 0.476]
            3 ukraine reject [0, 0, 0, 0, 0, 1] [0.650 0.421 0.476]
            3 europe reject [0, 0, 0, 0, 0, 1] [0.650 0.421 0.476]
            agreement None rounds 4 utilities [0.400 0.350 0.330] nash None frontier Some("0.392")
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
            0 mediator propose [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            0 ukraine veto [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            0 mediator adopt [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            1 mediator propose [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            1 russia veto [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            1 mediator adopt [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            2 mediator propose [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            2 ukraine veto [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            2 europe accept [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            2 mediator adopt [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            3 mediator propose [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            3 ukraine veto [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            3 mediator adopt [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            4 mediator propose [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            4 russia veto [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            4 mediator adopt [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 mediator propose [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 ukraine veto [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 europe accept [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            5 mediator adopt [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            6 mediator propose [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            6 ukraine veto [1, 0, 2, 0, 1, 1] [0.445 0.579 0.645]
            6 mediator adopt [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            7 mediator propose [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            7 russia veto [2, 0, 2, 0, 1, 1] [0.418 0.670 0.645]
            7 mediator adopt [0, 1, 2, 0, 0, 1] [0.541 0.568 0.694]
            agreement None rounds 8 utilities [0.400 0.350 0.330] nash None frontier Some("0.392")
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
