//! Exact Pareto frontiers by dynamic programming over issues.
//!
//! If an outcome is Pareto-optimal, its restriction to the first `k` issues is Pareto-optimal
//! among partial outcomes over those issues: otherwise swapping in the dominating partial
//! outcome would dominate the whole. So the frontier after issue `k` is the non-dominated
//! part of (frontier after issue `k - 1`) x (options of issue `k`). Each layer keeps its
//! points sorted best-first by their rounded utilities (see [`crate::pareto`]), which lets the
//! next layer be built by merging a few shifted copies, and swept for domination as it is
//! merged, instead of sorted.
//!
//! The reservation constraint is monotone (whatever dominates a zone outcome is in the zone),
//! so the zone frontier is the frontier over allowed options restricted to the zone. Partial
//! outcomes that cannot reach a reservation even with the best remaining options are dropped
//! early; everything they dominate is dropped with them, so this is exact.
//!
//! Small spaces take the same path: a space of `n` outcomes costs a few layers of at most `n`
//! points, with buffers allocated once per frontier, and nothing runs on the thread pool
//! unless a layer is large.

use std::cmp::Ordering;

use rayon::ThreadPool;
use rayon::slice::ParallelSliceMut;

use crate::Result;
use crate::control::{Control, Meter};
use crate::outcome_set::OutcomeSet;
use crate::pareto::{Sweep, compare_desc, snap, snap_into};
use crate::space::{Rules, Scope, UtilitySpace};
use crate::tiny::Tiny;

/// Above this many options per issue, layers are sorted instead of merged.
const MAX_MERGE_WAYS: usize = 16;

/// Layers with more candidates than this are sorted on the thread pool.
const PARALLEL_SORT: usize = 1 << 16;

/// Up to this many parties, the merge keeps its scratch on the stack.
const STACK_PARTIES: usize = 8;

/// The exact Pareto frontier of the zone or of all outcomes, sorted by outcome.
///
/// In [`Scope::Zone`] this is the set of zone outcomes not dominated by another zone outcome;
/// it is empty when the zone is. Outcomes with identical utilities are all kept.
#[inline]
pub fn pareto_frontier(
    space: &UtilitySpace,
    scope: Scope,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    // Inlined, so that a tiny space runs only the code that the zone's steps ran before.
    match Tiny::new(space, scope) {
        Some(tiny) => Ok(tiny.frontier()),
        None => frontier_with_rules(space, &space.rules(scope), Some(pool), control),
    }
}

/// The zone's frontier read off the frontier of all outcomes, where that is exact: when no
/// party red-lines any option. An outcome that dominates a zone outcome then meets every
/// reservation too, so no zone outcome is dominated from outside the zone, and the zone's
/// frontier is the part of the unrestricted frontier that meets the reservations (the same
/// test, on the same sums, as the layers apply). `None` when a red line rules options out:
/// an outcome outside the zone may then dominate zone outcomes, and the zone's frontier must
/// be built on its own.
pub fn zone_frontier_from_unrestricted(
    space: &UtilitySpace,
    unrestricted: &OutcomeSet,
) -> Option<OutcomeSet> {
    let rules = space.rules(Scope::Zone);
    if rules.allowed.contains(&false) {
        return None;
    }
    let all_in_zone = unrestricted.iter().all(|(_, utilities)| rules.meets_thresholds(utilities));
    Some(if all_in_zone {
        unrestricted.clone()
    } else {
        unrestricted.retain_by_utilities(|utilities| rules.meets_thresholds(utilities))
    })
}

/// Whether questions about the zone are answered faster by the layers than by a branch and
/// bound: on small spaces, where the layers cost less than setting up a search.
pub(crate) fn layers_beat_search(space: &UtilitySpace) -> bool {
    let n_parties = space.n_parties();
    let limit = match n_parties {
        1 | 2 => LAYERS_OUTCOMES,
        _ => LAYERS_OUTCOMES / (4 * n_parties) as f64,
    };
    space.n_outcomes() <= limit
}

/// Up to this many outcomes (for two parties; fewer for more), the layers beat a search.
const LAYERS_OUTCOMES: f64 = 4096.0;

/// The allowed options of every issue under some rules, with their values, stored flat.
pub(crate) struct Allowed {
    n_parties: usize,
    /// `options[starts[issue_idx]..starts[issue_idx + 1]]`: an issue's allowed options, in
    /// increasing order.
    options: Vec<u16>,
    starts: Vec<usize>,
    /// `values[way * n_parties + party_idx]`, aligned with `options`.
    values: Vec<f64>,
}

impl Allowed {
    pub(crate) fn new(space: &UtilitySpace, rules: &Rules) -> Allowed {
        let n_parties = space.n_parties();
        let n_issues = space.n_issues();
        let mut options = Vec::with_capacity(rules.allowed.len());
        let mut values = Vec::with_capacity(rules.allowed.len() * n_parties);
        let mut starts = Vec::with_capacity(n_issues + 1);
        starts.push(0);
        for issue_idx in 0..n_issues {
            let offset = space.option_offsets()[issue_idx];
            for option_idx in 0..space.option_counts()[issue_idx] {
                if rules.allowed[offset + option_idx] {
                    options.push(option_idx as u16);
                    values.extend_from_slice(space.option_values(offset + option_idx));
                }
            }
            starts.push(options.len());
        }
        Allowed { n_parties, options, starts, values }
    }

    pub(crate) fn n_issues(&self) -> usize {
        self.starts.len() - 1
    }

    /// The allowed options of an issue, in increasing order.
    pub(crate) fn options(&self, issue_idx: usize) -> &[u16] {
        &self.options[self.starts[issue_idx]..self.starts[issue_idx + 1]]
    }

    /// The values of an issue's allowed options, `[way_idx * n_parties + party_idx]`.
    pub(crate) fn values(&self, issue_idx: usize) -> &[f64] {
        &self.values
            [self.starts[issue_idx] * self.n_parties..self.starts[issue_idx + 1] * self.n_parties]
    }

    /// Whether some issue has no allowed option, so that nothing is allowed.
    pub(crate) fn any_empty(&self) -> bool {
        self.starts.windows(2).any(|pair| pair[0] == pair[1])
    }
}

/// The frontier under `rules`; layers too large to sort quickly on one thread are sorted on
/// `pool` when one is given.
pub(crate) fn frontier_with_rules(
    space: &UtilitySpace,
    rules: &Rules,
    pool: Option<&ThreadPool>,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    frontier_of(space, rules, &Allowed::new(space, rules), pool, control)
}

/// The frontier over `allowed`, whose outcomes must meet `rules.thresholds`.
pub(crate) fn frontier_of(
    space: &UtilitySpace,
    rules: &Rules,
    allowed: &Allowed,
    pool: Option<&ThreadPool>,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    match space.n_parties() {
        1 => frontier_for(Fixed::<1>, space, rules, allowed, pool, control),
        2 => frontier_for(Fixed::<2>, space, rules, allowed, pool, control),
        3 => frontier_for(Fixed::<3>, space, rules, allowed, pool, control),
        4 => frontier_for(Fixed::<4>, space, rules, allowed, pool, control),
        n_parties => frontier_for(Any(n_parties), space, rules, allowed, pool, control),
    }
}

/// The number of parties, as a constant where the layers are specialised for it.
trait Width: Copy {
    fn get(self) -> usize;
}

/// A number of parties known when compiling, so that loops over parties unroll.
#[derive(Clone, Copy)]
struct Fixed<const N_PARTIES: usize>;

impl<const N_PARTIES: usize> Width for Fixed<N_PARTIES> {
    #[inline(always)]
    fn get(self) -> usize {
        N_PARTIES
    }
}

/// Any number of parties.
#[derive(Clone, Copy)]
struct Any(usize);

impl Width for Any {
    #[inline(always)]
    fn get(self) -> usize {
        self.0
    }
}

fn frontier_for<W: Width>(
    width: W,
    space: &UtilitySpace,
    rules: &Rules,
    allowed: &Allowed,
    pool: Option<&ThreadPool>,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    let n_parties = width.get();
    let n_issues = space.n_issues();
    if allowed.any_empty() {
        return Ok(OutcomeSet::empty(n_issues, n_parties));
    }
    let pruning = ThresholdPruning::new(space, rules, allowed);
    // Small layers live on the stack, which the steps before have just used: fresh heap
    // memory costs a cache miss per line, or a page fault per page.
    let mut utilities_memory = [0.0f64; 2 * STACK_VALUES];
    let mut pointers_memory = [BackPointer { parent_idx: 0, option_idx: 0 }; STACK_POINTERS];
    let (first, second) = utilities_memory.split_at_mut(STACK_VALUES);
    let mut layers = Layers::new(
        width,
        n_issues,
        Buf::borrowed(first),
        Buf::borrowed(second),
        Buf::borrowed(&mut pointers_memory),
    );
    let mut meter = Meter::new(control);
    for issue_idx in 0..n_issues {
        meter.flush()?;
        control.report(issue_idx as u64, n_issues as u64);
        if layers.is_empty() {
            // Every partial outcome was pruned: no outcome reaches the reservations.
            return Ok(OutcomeSet::empty(n_issues, n_parties));
        }
        // The last layer keeps exactly the outcomes that meet the thresholds, so that the
        // frontier is that of the zone; earlier ones only what can still reach them.
        let bounds = if issue_idx + 1 == n_issues {
            pruning.active.then_some(rules.thresholds.as_slice())
        } else {
            pruning.remaining_bounds(issue_idx + 1)
        };
        layers.add(
            allowed.options(issue_idx),
            allowed.values(issue_idx),
            bounds,
            pool,
            &mut meter,
        )?;
        control.reserve(layers.bytes())?;
    }
    meter.flush()?;
    control.report(n_issues as u64, n_issues as u64);
    layers.into_outcomes(space, control)
}

/// Utilities of a layer kept on the stack, per buffer (two buffers alternate).
const STACK_VALUES: usize = 128;

/// Back-pointers of all layers kept on the stack.
const STACK_POINTERS: usize = 128;

/// A growable buffer that starts in borrowed memory and moves to the heap when it outgrows it.
enum Buf<'a, T: Copy> {
    Borrowed { memory: &'a mut [T], len: usize },
    Owned(Vec<T>),
}

impl<'a, T: Copy> Buf<'a, T> {
    fn borrowed(memory: &'a mut [T]) -> Buf<'a, T> {
        Buf::Borrowed { memory, len: 0 }
    }

    fn as_slice(&self) -> &[T] {
        match self {
            Buf::Borrowed { memory, len } => &memory[..*len],
            Buf::Owned(values) => values,
        }
    }

    fn len(&self) -> usize {
        match self {
            Buf::Borrowed { len, .. } => *len,
            Buf::Owned(values) => values.len(),
        }
    }

    fn truncate(&mut self, new_len: usize) {
        match self {
            Buf::Borrowed { len, .. } => *len = (*len).min(new_len),
            Buf::Owned(values) => values.truncate(new_len),
        }
    }

    /// Makes room for `additional` more values.
    fn reserve(&mut self, additional: usize) {
        match self {
            Buf::Borrowed { memory, len } => {
                if *len + additional > memory.len() {
                    let mut values = Vec::with_capacity((*len + additional).max(2 * memory.len()));
                    values.extend_from_slice(&memory[..*len]);
                    *self = Buf::Owned(values);
                }
            }
            Buf::Owned(values) => values.reserve(additional),
        }
    }

    #[inline]
    fn extend_from_slice(&mut self, values: &[T]) {
        match self {
            Buf::Borrowed { memory, len } if *len + values.len() <= memory.len() => {
                memory[*len..*len + values.len()].copy_from_slice(values);
                *len += values.len();
            }
            _ => {
                self.reserve(values.len());
                match self {
                    Buf::Borrowed { memory, len } => {
                        memory[*len..*len + values.len()].copy_from_slice(values);
                        *len += values.len();
                    }
                    Buf::Owned(owned) => owned.extend_from_slice(values),
                }
            }
        }
    }

    #[inline]
    fn push(&mut self, value: T) {
        self.extend_from_slice(std::slice::from_ref(&value));
    }
}

/// The back-pointer of one kept point: its parent in the previous layer and its option.
#[derive(Clone, Copy)]
struct BackPointer {
    parent_idx: u32,
    option_idx: u16,
}

/// The layers built so far: the last one's points, and every layer's back-pointers.
struct Layers<'a, W: Width> {
    width: W,
    n_issues: usize,
    /// The last layer's partial utilities, summed in issue order from `0.0`, sorted
    /// best-first by their rounded values ([`compare_desc`] on [`snap`]).
    utilities: Buf<'a, f64>,
    /// The layer being built.
    next_utilities: Buf<'a, f64>,
    /// Every layer's back-pointers, flat; layer `l` starts at `layer_starts[l]`.
    pointers: Buf<'a, BackPointer>,
    layer_starts: Vec<usize>,
    sweep: Sweep,
    /// Scratch for the merge: per way, the shifted point and its key; the last key.
    merge_scratch: Vec<f64>,
    /// Scratch for a sorted layer: every candidate, and their order.
    candidate_utilities: Vec<f64>,
    candidate_keys: Vec<f64>,
    candidate_pointers: Vec<BackPointer>,
    order: Vec<u32>,
}

impl<'a, W: Width> Layers<'a, W> {
    fn new(
        width: W,
        n_issues: usize,
        mut utilities: Buf<'a, f64>,
        next_utilities: Buf<'a, f64>,
        pointers: Buf<'a, BackPointer>,
    ) -> Layers<'a, W> {
        let n_parties = width.get();
        // The empty partial outcome.
        for _ in 0..n_parties {
            utilities.push(0.0);
        }
        Layers {
            width,
            n_issues,
            utilities,
            next_utilities,
            pointers,
            layer_starts: Vec::with_capacity(n_issues),
            sweep: Sweep::new(n_parties),
            merge_scratch: Vec::new(),
            candidate_utilities: Vec::new(),
            candidate_keys: Vec::new(),
            candidate_pointers: Vec::new(),
            order: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.utilities.len() / self.width.get()
    }

    fn is_empty(&self) -> bool {
        self.utilities.len() == 0
    }

    /// An estimate of the memory the layers hold, in bytes.
    fn bytes(&self) -> u64 {
        let floats = self.utilities.len()
            + self.next_utilities.len()
            + self.candidate_utilities.capacity()
            + self.candidate_keys.capacity()
            + self.merge_scratch.capacity();
        let bytes = 8 * floats
            + std::mem::size_of::<BackPointer>()
                * (self.pointers.len() + self.candidate_pointers.capacity())
            + 4 * self.order.capacity();
        bytes as u64
    }

    /// Extends every point of the last layer by every option of the next issue and keeps the
    /// non-dominated candidates that pass `bounds`.
    fn add(
        &mut self,
        options: &[u16],
        shifts: &[f64],
        bounds: Option<&[f64]>,
        pool: Option<&ThreadPool>,
        meter: &mut Meter<'_>,
    ) -> Result<()> {
        let layer_start = self.pointers.len();
        self.layer_starts.push(layer_start);
        self.next_utilities.truncate(0);
        self.sweep.reset();
        if self.width.get() > 3 {
            self.split_sweep(shifts);
        }
        let merged =
            options.len() <= MAX_MERGE_WAYS && self.merge(options, shifts, bounds, meter)?;
        if !merged {
            self.pointers.truncate(layer_start);
            self.next_utilities.truncate(0);
            self.sweep.reset();
            self.sort(options, shifts, bounds, pool, meter)?;
        }
        std::mem::swap(&mut self.utilities, &mut self.next_utilities);
        Ok(())
    }

    /// Splits the many-party sweep's points by a guess of the layer being built: the last
    /// layer's points, each moved by the options' mean values (see [`Sweep::split_like`]).
    fn split_sweep(&mut self, shifts: &[f64]) {
        let n_parties = self.width.get();
        let n_ways = (shifts.len() / n_parties).max(1) as f64;
        let mut mean_shift = vec![0.0; n_parties];
        for shift in shifts.chunks_exact(n_parties) {
            for (sum, value) in mean_shift.iter_mut().zip(shift) {
                *sum += value / n_ways;
            }
        }
        let mut sample = std::mem::take(&mut self.candidate_keys);
        sample.clear();
        for point in self.utilities.as_slice().chunks_exact(n_parties) {
            sample.extend(point.iter().zip(&mean_shift).map(|(value, shift)| value + shift));
        }
        self.sweep.split_like(&sample);
        self.candidate_keys = sample;
    }

    /// Merges the shifted copies of the last layer best-first and sweeps the candidates as
    /// they come. Returns `false`, leaving partial results, when rounding broke the order of
    /// a shifted copy (adding a constant can make two different rounded first coordinates
    /// equal); then the layer must be sorted.
    fn merge(
        &mut self,
        options: &[u16],
        shifts: &[f64],
        bounds: Option<&[f64]>,
        meter: &mut Meter<'_>,
    ) -> Result<bool> {
        let width = self.width;
        let n_parties = width.get();
        let n_previous = self.len();
        let n_ways = options.len();
        // Per way: the next parent, and that parent's shifted point and key. The ways still
        // running are `live[..n_live]`, in any order: equal keys may come in any order.
        let mut heads = [0usize; MAX_MERGE_WAYS];
        let mut live = [0usize; MAX_MERGE_WAYS];
        self.merge_scratch.resize((2 * MAX_MERGE_WAYS + 1) * n_parties, 0.0);
        // What the layer being merged adds to the layers' memory is counted as it grows.
        let other_bytes = self.bytes()
            - (8 * self.next_utilities.len()
                + std::mem::size_of::<BackPointer>() * self.pointers.len()) as u64;
        let scratch = &mut self.merge_scratch[..];
        let (head_utilities, rest) = scratch.split_at_mut(MAX_MERGE_WAYS * n_parties);
        let (head_keys, rest) = rest.split_at_mut(MAX_MERGE_WAYS * n_parties);
        let last = &mut rest[..n_parties];
        let utilities = self.utilities.as_slice();
        let fill = |head_utilities: &mut [f64],
                    head_keys: &mut [f64],
                    way_idx: usize,
                    parent_idx: usize| {
            let parent = &utilities[parent_idx * n_parties..(parent_idx + 1) * n_parties];
            let shift = &shifts[way_idx * n_parties..(way_idx + 1) * n_parties];
            let point = &mut head_utilities[way_idx * n_parties..(way_idx + 1) * n_parties];
            let key = &mut head_keys[way_idx * n_parties..(way_idx + 1) * n_parties];
            for party_idx in 0..n_parties {
                point[party_idx] = parent[party_idx] + shift[party_idx];
                key[party_idx] = snap(point[party_idx]);
            }
        };
        for (way_idx, slot) in live.iter_mut().enumerate().take(n_ways) {
            fill(head_utilities, head_keys, way_idx, 0);
            *slot = way_idx;
        }
        let mut n_live = n_ways;
        let mut have_last = false;
        let mut last_kept = false;
        let mut n_steps = 0u64;
        while n_live > 0 {
            n_steps += 1;
            if n_steps == Meter::BATCH {
                meter.tick(std::mem::take(&mut n_steps))?;
                let kept_bytes = 8 * self.next_utilities.len()
                    + std::mem::size_of::<BackPointer>() * self.pointers.len();
                meter.control().reserve(other_bytes + kept_bytes as u64)?;
            }
            let mut best_live = 0;
            for live_idx in 1..n_live {
                let (way_idx, best_way) = (live[live_idx], live[best_live]);
                if compare_desc(
                    &head_keys[way_idx * n_parties..(way_idx + 1) * n_parties],
                    &head_keys[best_way * n_parties..(best_way + 1) * n_parties],
                )
                .is_lt()
                {
                    best_live = live_idx;
                }
            }
            let way_idx = live[best_live];
            let parent_idx = heads[way_idx];
            let range = way_idx * n_parties..(way_idx + 1) * n_parties;
            if passes(&head_utilities[range.clone()], bounds) {
                let key = &head_keys[range.clone()];
                let order = if have_last { compare_desc(last, key) } else { Ordering::Less };
                let keep = match order {
                    Ordering::Greater => return Ok(false),
                    Ordering::Equal => last_kept,
                    Ordering::Less => {
                        last.copy_from_slice(key);
                        have_last = true;
                        last_kept = self.sweep.insert_if_non_dominated(key);
                        last_kept
                    }
                };
                if keep {
                    self.next_utilities.extend_from_slice(&head_utilities[range.clone()]);
                    self.pointers.push(BackPointer {
                        parent_idx: parent_idx as u32,
                        option_idx: options[way_idx],
                    });
                }
            }
            heads[way_idx] = parent_idx + 1;
            if parent_idx + 1 < n_previous {
                fill(head_utilities, head_keys, way_idx, parent_idx + 1);
            } else {
                n_live -= 1;
                live[best_live] = live[n_live];
            }
        }
        meter.tick(n_steps)?;
        Ok(true)
    }

    /// Builds every candidate, sorts them best-first and sweeps them.
    fn sort(
        &mut self,
        options: &[u16],
        shifts: &[f64],
        bounds: Option<&[f64]>,
        pool: Option<&ThreadPool>,
        meter: &mut Meter<'_>,
    ) -> Result<()> {
        let n_parties = self.width.get();
        let n_previous = self.len();
        self.candidate_utilities.clear();
        self.candidate_keys.clear();
        self.candidate_pointers.clear();
        let mut point = [0.0f64; STACK_PARTIES];
        let mut point_vec = vec![0.0; if n_parties > STACK_PARTIES { n_parties } else { 0 }];
        let point: &mut [f64] =
            if n_parties <= STACK_PARTIES { &mut point[..n_parties] } else { &mut point_vec };
        let mut n_steps = 0u64;
        for parent_idx in 0..n_previous {
            n_steps += options.len() as u64;
            if n_steps >= Meter::BATCH {
                meter.tick(std::mem::take(&mut n_steps))?;
                meter.control().reserve(self.bytes())?;
            }
            let utilities = self.utilities.as_slice();
            let parent = &utilities[parent_idx * n_parties..(parent_idx + 1) * n_parties];
            for (way_idx, &option_idx) in options.iter().enumerate() {
                for party_idx in 0..n_parties {
                    point[party_idx] = parent[party_idx] + shifts[way_idx * n_parties + party_idx];
                }
                if passes(point, bounds) {
                    self.candidate_utilities.extend_from_slice(point);
                    let start = self.candidate_keys.len();
                    self.candidate_keys.resize(start + n_parties, 0.0);
                    snap_into(point, &mut self.candidate_keys[start..]);
                    self.candidate_pointers
                        .push(BackPointer { parent_idx: parent_idx as u32, option_idx });
                }
            }
        }
        let n_candidates = self.candidate_pointers.len();
        // Sorting costs a step per candidate too; the layer then needs its order and at most
        // every candidate's point and back-pointer.
        meter.tick(n_steps + n_candidates as u64)?;
        let kept_bytes = n_candidates * (4 + 8 * n_parties + std::mem::size_of::<BackPointer>());
        meter.control().reserve(self.bytes() + kept_bytes as u64)?;
        self.order.clear();
        self.order.extend(0..n_candidates as u32);
        let keys = &self.candidate_keys;
        let key = |candidate_idx: u32| {
            let start = candidate_idx as usize * n_parties;
            &keys[start..start + n_parties]
        };
        // The order of equal keys does not matter: a group of equal keys is kept or dropped
        // as a whole.
        if let Some(pool) = pool.filter(|_| n_candidates > PARALLEL_SORT) {
            let order = &mut self.order;
            pool.install(|| {
                order.par_sort_unstable_by(|&left, &right| compare_desc(key(left), key(right)))
            });
        } else {
            self.order.sort_unstable_by(|&left, &right| compare_desc(key(left), key(right)));
        }
        self.next_utilities.reserve(n_candidates * n_parties);
        self.pointers.reserve(n_candidates);
        let mut group_start = 0;
        while group_start < n_candidates {
            let group_key = key(self.order[group_start]);
            let mut group_end = group_start + 1;
            while group_end < n_candidates && key(self.order[group_end]) == group_key {
                group_end += 1;
            }
            if self.sweep.insert_if_non_dominated(group_key) {
                for &candidate_idx in &self.order[group_start..group_end] {
                    let range = candidate_idx as usize * n_parties
                        ..(candidate_idx as usize + 1) * n_parties;
                    self.next_utilities.extend_from_slice(&self.candidate_utilities[range]);
                    self.pointers.push(self.candidate_pointers[candidate_idx as usize]);
                }
            }
            group_start = group_end;
        }
        Ok(())
    }

    /// The outcomes of the last layer's points, sorted by outcome.
    fn into_outcomes(self, space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
        let (n_issues, n_parties) = (self.n_issues, self.width.get());
        let n_final = self.len();
        let result_bytes = n_final * (8 + 2 * n_issues + 8 * n_parties);
        control.reserve(self.bytes() + result_bytes as u64)?;
        let pointers = self.pointers.as_slice();
        let layer_starts = &self.layer_starts;
        // The option of each issue, last issue first, of a final point.
        let backtrack = |final_idx: usize| {
            let mut point_idx = final_idx;
            (0..n_issues).rev().map(move |issue_idx| {
                let pointer = pointers[layer_starts[issue_idx] + point_idx];
                point_idx = pointer.parent_idx as usize;
                (issue_idx, pointer.option_idx)
            })
        };
        // Each issue's width in bits, enough for its largest option index.
        let widths: Vec<u32> = space
            .option_counts()
            .iter()
            .map(|&n_options| usize::BITS - (n_options - 1).leading_zeros())
            .collect();
        if widths.iter().sum::<u32>() > u64::BITS {
            let mut outcomes = vec![0u16; n_final * n_issues];
            for final_idx in 0..n_final {
                let outcome = &mut outcomes[final_idx * n_issues..(final_idx + 1) * n_issues];
                for (issue_idx, option_idx) in backtrack(final_idx) {
                    outcome[issue_idx] = option_idx;
                }
            }
            return Ok(OutcomeSet::from_unsorted(
                n_issues,
                n_parties,
                outcomes,
                self.utilities.as_slice().to_vec(),
            ));
        }
        // Outcomes packed into integers sort fast, and unpack in order; their utilities,
        // summed again in issue order from 0.0, are bit-identical to the layers' sums.
        let shifts: Vec<u32> =
            (0..n_issues).map(|issue_idx| widths[issue_idx + 1..].iter().sum()).collect();
        let mut keys: Vec<u64> = (0..n_final)
            .map(|final_idx| {
                backtrack(final_idx).fold(0u64, |key, (issue_idx, option_idx)| {
                    key | u64::from(option_idx) << shifts[issue_idx]
                })
            })
            .collect();
        keys.sort_unstable();
        let mut outcomes = vec![0u16; n_final * n_issues];
        let mut utilities = vec![0.0; n_final * n_parties];
        for ((key, outcome), point) in keys
            .iter()
            .zip(outcomes.chunks_exact_mut(n_issues))
            .zip(utilities.chunks_exact_mut(n_parties))
        {
            for issue_idx in 0..n_issues {
                outcome[issue_idx] =
                    ((key >> shifts[issue_idx]) & ((1 << widths[issue_idx]) - 1)) as u16;
            }
            space.utilities_into(outcome, point);
        }
        Ok(OutcomeSet::from_sorted(n_issues, n_parties, outcomes, utilities))
    }
}

fn passes(point: &[f64], bounds: Option<&[f64]>) -> bool {
    bounds.is_none_or(|bounds| point.iter().zip(bounds).all(|(value, bound)| value >= bound))
}

/// Drops partial outcomes that cannot reach some party's threshold.
struct ThresholdPruning {
    n_parties: usize,
    /// `needed[issue_idx * n_parties + party_idx]`: the threshold, minus the most the issues
    /// from `issue_idx` on can add, minus a slack that covers rounding.
    needed: Vec<f64>,
    active: bool,
}

impl ThresholdPruning {
    fn new(space: &UtilitySpace, rules: &Rules, allowed: &Allowed) -> ThresholdPruning {
        let n_parties = space.n_parties();
        let active = rules.thresholds.iter().any(|threshold| threshold.is_finite());
        if !active {
            return ThresholdPruning { n_parties, needed: Vec::new(), active };
        }
        let n_issues = space.n_issues();
        let suffix_best = suffix_best(n_parties, allowed);
        let mut needed = vec![f64::NEG_INFINITY; (n_issues + 1) * n_parties];
        for issue_idx in 0..=n_issues {
            for party_idx in 0..n_parties {
                let threshold = rules.thresholds[party_idx];
                let slack = 1e-9 * (1.0 + suffix_best.magnitude[party_idx] + threshold.abs());
                needed[issue_idx * n_parties + party_idx] =
                    threshold - slack - suffix_best.values[issue_idx * n_parties + party_idx];
            }
        }
        ThresholdPruning { n_parties, needed, active }
    }

    /// The least partial utility per party that can still reach the thresholds, once the
    /// issues before `issue_idx` are fixed; `None` when nothing is constrained.
    fn remaining_bounds(&self, issue_idx: usize) -> Option<&[f64]> {
        self.active
            .then(|| &self.needed[issue_idx * self.n_parties..(issue_idx + 1) * self.n_parties])
    }
}

/// Sums of per-issue maxima over the allowed options, from each issue to the end.
pub(crate) struct SuffixBest {
    /// `values[issue_idx * n_parties + party_idx]`, with a final row of zeros.
    pub(crate) values: Vec<f64>,
    /// Per party, the sum of the largest absolute contributions, to size rounding slack.
    pub(crate) magnitude: Vec<f64>,
}

pub(crate) fn suffix_best(n_parties: usize, allowed: &Allowed) -> SuffixBest {
    let n_issues = allowed.n_issues();
    let mut values = vec![0.0; (n_issues + 1) * n_parties];
    let mut magnitude = vec![0.0f64; 2 * n_parties];
    for issue_idx in (0..n_issues).rev() {
        let (head, tail) = values.split_at_mut((issue_idx + 1) * n_parties);
        let best = &mut head[issue_idx * n_parties..];
        let (magnitude, largest) = magnitude.split_at_mut(n_parties);
        best.fill(f64::NEG_INFINITY);
        largest.fill(0.0);
        for option_values in allowed.values(issue_idx).chunks_exact(n_parties) {
            for party_idx in 0..n_parties {
                best[party_idx] = best[party_idx].max(option_values[party_idx]);
                largest[party_idx] = largest[party_idx].max(option_values[party_idx].abs());
            }
        }
        for party_idx in 0..n_parties {
            best[party_idx] += tail[party_idx];
            magnitude[party_idx] += largest[party_idx];
        }
    }
    magnitude.truncate(n_parties);
    SuffixBest { values, magnitude }
}

/// Per issue, the options no red line excludes under `rules`, in increasing order.
pub(crate) fn allowed_options(space: &UtilitySpace, rules: &Rules) -> Vec<Vec<u16>> {
    (0..space.n_issues())
        .map(|issue_idx| {
            (0..space.option_counts()[issue_idx])
                .filter(|&option_idx| rules.allowed[space.option_offsets()[issue_idx] + option_idx])
                .map(|option_idx| option_idx as u16)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::brute_force::brute_force;
    use crate::control::build_thread_pool;
    use crate::space::test_spaces::{GridSpec, random_grid_space};

    /// Spaces of tenths (so that floating-point sums split exact ties) with red lines and
    /// reservations: the layers, the tiny enumeration and the brute force agree in both scopes.
    #[test]
    fn layers_tiny_spaces_and_brute_force_agree_on_tenths() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let pool = build_thread_pool(1).unwrap();
        let control = Control::none();
        let mut n_tiny = 0;
        for _ in 0..400 {
            let space = random_grid_space(
                &mut rng,
                &GridSpec {
                    unit: 10.0,
                    values: 0..=3,
                    reservations: 0..=8,
                    no_reservation_one_in: 2,
                    all_constrain: true,
                },
            );
            let option_counts = space.option_counts();
            for scope in [Scope::Zone, Scope::Unrestricted] {
                let layered =
                    frontier_with_rules(&space, &space.rules(scope), Some(&pool), &control)
                        .unwrap();
                let reference = brute_force(&space, scope, &pool, &control).unwrap().frontier;
                assert_eq!(layered, reference, "{option_counts:?} {scope:?}");
                if let Some(tiny) = Tiny::new(&space, scope) {
                    assert_eq!(tiny.frontier(), reference, "{option_counts:?} {scope:?}");
                    n_tiny += 1;
                }
            }
        }
        assert!(n_tiny > 400, "only {n_tiny} tiny spaces");
    }
}
