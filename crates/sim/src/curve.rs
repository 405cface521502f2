//! Piecewise-linear functions of time. Every time-varying quantity in a scenario (how
//! strongly a downstream misbehaves, how much extra traffic arrives, how full a pool
//! is) is a `Curve`, so a scenario reads as a timeline and causes can be placed before
//! their consequences.

/// A piecewise-linear function of time (Unix ns); constant before the first point and
/// after the last; zero when empty.
#[derive(Debug, Clone, Default)]
pub(crate) struct Curve {
    points: Vec<(i64, f64)>,
}

impl Curve {
    /// Through the given points (sorted by time here).
    pub(crate) fn from_points(mut points: Vec<(i64, f64)>) -> Self {
        points.sort_by_key(|p| p.0);
        Curve { points }
    }

    /// 0 before `start`, rising linearly to `value` over `ramp`, then `value` for ever.
    pub(crate) fn step(start: i64, ramp: i64, value: f64) -> Self {
        Curve::from_points(vec![(start, 0.0), (start + ramp.max(1), value)])
    }

    /// 0 before `start`, up to `value` over `ramp_up`, held until `end`, down to 0 over
    /// `ramp_down`.
    pub(crate) fn pulse(start: i64, ramp_up: i64, end: i64, ramp_down: i64, value: f64) -> Self {
        let top = (start + ramp_up.max(1)).min(end);
        Curve::from_points(vec![
            (start, 0.0),
            (top, value),
            (end.max(top), value),
            (end.max(top) + ramp_down.max(1), 0.0),
        ])
    }

    /// The value at `t`.
    pub(crate) fn at(&self, t: i64) -> f64 {
        let Some(first) = self.points.first() else {
            return 0.0;
        };
        if t <= first.0 {
            return first.1;
        }
        for w in self.points.windows(2) {
            let (t0, v0) = w[0];
            let (t1, v1) = w[1];
            if t <= t1 {
                if t1 == t0 {
                    return v1;
                }
                let f = (t - t0) as f64 / (t1 - t0) as f64;
                return v0 + (v1 - v0) * f;
            }
        }
        self.points.last().map(|p| p.1).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulse_shape() {
        let c = Curve::pulse(100, 10, 200, 20, 2.0);
        assert_eq!(c.at(0), 0.0);
        assert_eq!(c.at(105), 1.0);
        assert_eq!(c.at(150), 2.0);
        assert_eq!(c.at(210), 1.0);
        assert_eq!(c.at(500), 0.0);
        assert_eq!(Curve::default().at(5), 0.0);
    }
}
