//! GENIUS-native plain data: a domain (issues and their options) and a utility profile
//! (weights, evaluations, reservation value, discount factor).
//!
//! These types mirror the XML closely, so that writing and parsing again gives the same
//! value back. Attributes that GENIUS itself ignores (`cost`, `description`, item
//! indices, `number_of_issues`) are not kept.

/// A negotiation domain: the issues on the table and the options of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The `name` of the root `<objective>`; GENIUS files often just say `root`.
    pub name: String,
    /// The issues in file order.
    pub issues: Vec<DomainIssue>,
}

/// One issue of a [`Domain`].
#[derive(Debug, Clone, PartialEq)]
pub struct DomainIssue {
    /// The issue's `name`, unique within the domain.
    pub name: String,
    /// The issue's `index`, unique within the domain; profiles refer to issues by it.
    pub index: u32,
    /// Which options the issue has.
    pub kind: IssueKind,
}

/// The options of a [`DomainIssue`].
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// `type="discrete"`: a list of named values, in file order, without duplicates.
    Discrete {
        /// The `value` of each `<item>`.
        values: Vec<String>,
    },
    /// `type="integer"`: every integer from `lower` to `upper`, both included.
    Integer {
        /// The `lowerbound`.
        lower: i64,
        /// The `upperbound`, at least `lower`.
        upper: i64,
    },
    /// `type="real"`: every number from `lower` to `upper` (a continuous issue).
    Real {
        /// The `lowerbound`.
        lower: f64,
        /// The `upperbound`, above `lower`.
        upper: f64,
    },
}

/// One party's utility profile (a GENIUS `utility_space` with weights and evaluations).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The issues in file order, each with its weight and evaluator.
    pub issues: Vec<ProfileIssue>,
    /// The `<reservation value=..>`, when the file has one.
    pub reservation: Option<f64>,
    /// The `<discount_factor value=..>` exactly as written, when the file has one.
    ///
    /// GENIUS treats a factor outside `(0, 1]`, including `0`, as `1`: no discount.
    pub discount_factor: Option<f64>,
    /// The constraints of a non-linear profile (`<utility_space type="nonlinear">`), whose
    /// issues are then listed [`IssueEvaluator::Unevaluated`]; `None` for an additive profile.
    pub constraints: Option<ConstraintUtility>,
}

/// A GENIUS non-linear utility: the utility of an outcome is
/// `min(1, (sum of the values of the constraints it satisfies) / max_utility)`.
///
/// GENIUS nests utility functions (`<ufun>`) that weight and sum their hyper-rectangles and
/// inner functions; only sums are read, and the nesting is flattened: each constraint's
/// value is its `utility` times its own weight and the weights of the functions around it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintUtility {
    /// The `maxutility` of `<utility>`: what the sum is divided by.
    pub max_utility: f64,
    /// The hyper-rectangles, in file order.
    pub constraints: Vec<Constraint>,
}

/// One GENIUS hyper-rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// Its weighted utility.
    pub value: f64,
    /// `INCLUDES` or `EXCLUDES`.
    pub kind: ConstraintKind,
    /// Its bounds, in file order.
    pub bounds: Vec<ConstraintBound>,
}

/// How a hyper-rectangle's bounds are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `<INCLUDES>`: satisfied when every bound holds the outcome's value (always, with no
    /// bounds).
    Includes,
    /// `<EXCLUDES>`: satisfied when some bound does not hold the outcome's value.
    Excludes,
}

/// One bound of a hyper-rectangle: the integer values `min..=max` of one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintBound {
    /// The issue's `index`.
    pub index: u32,
    /// The lowest value inside.
    pub min: i64,
    /// The highest value inside.
    pub max: i64,
}

/// One issue of a [`Profile`]: which domain issue it is, its weight and its evaluator.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileIssue {
    /// The `index` of the domain issue this evaluates.
    pub index: u32,
    /// The `name` of the domain issue this evaluates.
    pub name: String,
    /// The `<weight>` with this issue's index, if any.
    ///
    /// The parser accepts a weight on every issue or on none; see
    /// [`crate::Scenario::normalised_utilities`] for what a missing weight means.
    pub weight: Option<f64>,
    /// How the issue's options are evaluated.
    pub evaluator: IssueEvaluator,
}

/// How a [`ProfileIssue`] turns options into evaluations.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueEvaluator {
    /// `<item value=.. evaluation=..>` for every value of a discrete issue, in file order.
    ///
    /// Evaluations are raw, as written (often integers such as `370`): GENIUS divides them by
    /// the issue's largest evaluation.
    Discrete {
        /// One entry per `<item>`.
        evaluations: Vec<ValueEvaluation>,
    },
    /// `<evaluator ftype="linear" slope=.. offset=..>` of an integer issue.
    Integer(LinearEvaluator),
    /// `<evaluator ftype=.. parameter0=..>` of a real (continuous) issue.
    Real(RealEvaluator),
    /// An integer issue of a non-linear profile, listed with its bounds but valued only
    /// through the profile's [`Profile::constraints`].
    Unevaluated {
        /// The issue's `lowerbound`.
        lower: i64,
        /// The issue's `upperbound`.
        upper: i64,
    },
}

/// The raw evaluation of one value of a discrete issue.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEvaluation {
    /// The item's `value`, one of the domain issue's values.
    pub value: String,
    /// The item's `evaluation`: finite and not negative.
    pub evaluation: f64,
}

/// A GENIUS linear evaluator of an integer issue.
///
/// GENIUS evaluates option `x` as `offset + slope * (x - lower)`, clamped to `[0, 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearEvaluator {
    /// The issue's `lowerbound`, repeated in the profile; it must equal the domain's.
    pub lower: i64,
    /// The issue's `upperbound`, repeated in the profile; it must equal the domain's.
    pub upper: i64,
    /// The evaluator's `slope`.
    pub slope: f64,
    /// The evaluator's `offset`: the evaluation of `lower`.
    pub offset: f64,
}

impl LinearEvaluator {
    /// The GENIUS evaluation of `option`: `offset + slope * (option - lower)`, clamped to `[0, 1]`.
    pub fn evaluate(&self, option: i64) -> f64 {
        // The difference is taken in i128 so that extreme bounds cannot overflow.
        let steps = (i128::from(option) - i128::from(self.lower)) as f64;
        (self.offset + self.slope * steps).clamp(0.0, 1.0)
    }
}

/// A GENIUS evaluator of a real (continuous) issue, with the bounds its profile repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct RealEvaluator {
    /// The `lowerbound` of the profile's `<range>`; GENIUS evaluates the domain's numbers.
    pub lower: f64,
    /// The `upperbound` of the profile's `<range>`.
    pub upper: f64,
    /// How a number is evaluated.
    pub function: RealFunction,
}

/// The evaluation functions GENIUS offers real issues, with its parameters as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RealFunction {
    /// `ftype="linear"`: `parameter0 + parameter1 * x`, clamped to `[0, 1]`.
    Linear {
        /// The constant term.
        parameter0: f64,
        /// The slope.
        parameter1: f64,
    },
    /// `ftype="constant"`: `parameter0` everywhere.
    Constant {
        /// The evaluation of every number.
        parameter0: f64,
    },
    /// `ftype="triangular"`: 0 up to `parameter0`, rising to 1 at `parameter2`, falling to 0
    /// at `parameter1`, 0 beyond.
    Triangular {
        /// Where the rise starts.
        parameter0: f64,
        /// Where the fall ends.
        parameter1: f64,
        /// The top.
        parameter2: f64,
    },
    /// `ftype="triangular_variable_top"`: a triangle whose top is `parameter3` instead of 1.
    TriangularVariableTop {
        /// Where the rise starts.
        parameter0: f64,
        /// Where the fall ends.
        parameter1: f64,
        /// The top.
        parameter2: f64,
        /// The evaluation at the top.
        parameter3: f64,
    },
}

impl RealFunction {
    /// The GENIUS evaluation of `number`.
    pub fn evaluate(&self, number: f64) -> f64 {
        let triangle = |low: f64, high: f64, top: f64, height: f64| {
            if number < low {
                0.0
            } else if number < top {
                height * (number - low) / (top - low)
            } else if number < high {
                height * (1.0 - (number - top) / (high - top))
            } else {
                0.0
            }
        };
        match *self {
            RealFunction::Linear { parameter0, parameter1 } => {
                (parameter0 + parameter1 * number).clamp(0.0, 1.0)
            }
            RealFunction::Constant { parameter0 } => parameter0,
            RealFunction::Triangular { parameter0, parameter1, parameter2 } => {
                triangle(parameter0, parameter1, parameter2, 1.0)
            }
            RealFunction::TriangularVariableTop {
                parameter0,
                parameter1,
                parameter2,
                parameter3,
            } => triangle(parameter0, parameter1, parameter2, parameter3),
        }
    }

    /// The numbers from `lower` to `upper` where the function may bend, rising, both ends
    /// included: between two of them it is linear.
    pub fn bends(&self, lower: f64, upper: f64) -> Vec<f64> {
        let mut candidates = vec![lower, upper];
        match *self {
            RealFunction::Linear { parameter0, parameter1 } if parameter1 != 0.0 => {
                // Where the line crosses 0 and 1, and is clamped.
                candidates.push(-parameter0 / parameter1);
                candidates.push((1.0 - parameter0) / parameter1);
            }
            RealFunction::Linear { .. } | RealFunction::Constant { .. } => {}
            RealFunction::Triangular { parameter0, parameter1, parameter2 }
            | RealFunction::TriangularVariableTop { parameter0, parameter1, parameter2, .. } => {
                candidates.extend([parameter0, parameter1, parameter2]);
            }
        }
        candidates.retain(|number| number.is_finite() && *number >= lower && *number <= upper);
        candidates.sort_by(f64::total_cmp);
        candidates.dedup();
        candidates
    }

    /// Whether the function is continuous: a triangle needs its top strictly between its
    /// ends, or it jumps.
    pub fn is_continuous(&self) -> bool {
        match *self {
            RealFunction::Linear { .. } | RealFunction::Constant { .. } => true,
            RealFunction::Triangular { parameter0, parameter1, parameter2 }
            | RealFunction::TriangularVariableTop { parameter0, parameter1, parameter2, .. } => {
                parameter0 < parameter2 && parameter2 < parameter1
            }
        }
    }
}
