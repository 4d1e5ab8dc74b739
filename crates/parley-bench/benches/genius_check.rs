//! What `parley check DIR` does on a GENIUS folder: parse the domain and profiles, check each
//! profile against the domain, convert to a scenario and validate it. The folder is generated
//! here: one issue with 3,000 or 30,000 values and a small one, two profiles. The time should
//! grow in proportion to the number of values (it grew with its square before: 30,000 values
//! took over a minute in a debug build).

use std::fmt::Write;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// A GENIUS folder's files: a domain whose first issue has `n_values` values, and two
/// profiles that rank them in opposite orders.
fn genius_files(n_values: usize) -> Vec<(String, String)> {
    let mut domain = String::from(
        "<negotiation_template><utility_space><objective index=\"0\" name=\"big\">\n<issue index=\"1\" name=\"a\" type=\"discrete\">\n",
    );
    for value_idx in 0..n_values {
        let _ = writeln!(domain, "<item index=\"{}\" value=\"v{value_idx}\"/>", value_idx + 1);
    }
    domain.push_str(
        "</issue>\n<issue index=\"2\" name=\"b\" type=\"discrete\"><item value=\"x\"/><item value=\"y\"/></issue>\n</objective></utility_space></negotiation_template>\n",
    );
    let mut files = vec![("big/big_domain.xml".to_owned(), domain)];
    for (party, ascending) in [("buyer", true), ("seller", false)] {
        let mut profile = String::from(
            "<utility_space><objective index=\"0\" name=\"big\">\n<issue index=\"1\" name=\"a\" type=\"discrete\">\n",
        );
        for value_idx in 0..n_values {
            let evaluation = if ascending { value_idx + 1 } else { n_values - value_idx };
            let _ = writeln!(
                profile,
                "<item index=\"{}\" value=\"v{value_idx}\" evaluation=\"{evaluation}\"/>",
                value_idx + 1
            );
        }
        profile.push_str(
            "</issue>\n<issue index=\"2\" name=\"b\" type=\"discrete\"><item value=\"x\" evaluation=\"1\"/><item value=\"y\" evaluation=\"2\"/></issue>\n<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>\n</objective></utility_space>\n",
        );
        files.push((format!("big/{party}.xml"), profile));
    }
    files
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("genius_check");
    group.sample_size(10);
    for n_values in [3_000, 30_000] {
        let files = genius_files(n_values);
        group.throughput(Throughput::Elements(n_values as u64));
        group.bench_with_input(BenchmarkId::new("values", n_values), &files, |b, files| {
            b.iter(|| {
                let genius = parley_genius::parse_scenario(files).expect("the folder parses");
                let scenario = parley_genius::to_model(&genius, "big").expect("it converts");
                let diagnostics = parley_model::validate::validate(&scenario);
                assert!(diagnostics.iter().all(|diagnostic| !diagnostic.is_error()));
                diagnostics
            });
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
