//! The geometry of the programme's chart of regular agents month by month, drawn in SVG by the page (no script):
//! where each month's point falls in the drawing, and the graduations of its axis on round numbers.

/// Room left of the plot for the graduations' numbers, and around it, in SVG units.
pub const LEFT: i64 = 64;
pub const RIGHT: i64 = 12;
pub const TOP: i64 = 12;
pub const BOTTOM: i64 = 28;

/// A chart laid out in a `width` × `height` drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub width: i64,
    pub height: i64,
    /// Each value's point, in order.
    pub points: Vec<(i64, i64)>,
    /// The graduations: their height in the drawing and the value they stand for, from 0 up.
    pub ticks: Vec<(i64, i64)>,
    /// The top of the axis.
    pub max: i64,
}

/// The round number (1, 2 or 5 × 10ⁿ) at or above `value`; 1 for nothing to show.
pub fn nice_ceiling(value: i64) -> i64 {
    let mut step = 1_i64;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if candidate >= value {
                return candidate;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The chart of `values` (none negative) in a `width` × `height` drawing, with five graduations.
pub fn chart(values: &[i64], width: i64, height: i64) -> Chart {
    let max = nice_ceiling(values.iter().copied().max().unwrap_or(0).max(1));
    let plot_width = (width - LEFT - RIGHT).max(1);
    let plot_height = (height - TOP - BOTTOM).max(1);
    let y = |value: i64| TOP + plot_height - value.clamp(0, max) * plot_height / max;
    let points = values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let x = match values.len() {
                1 => LEFT + plot_width / 2,
                n => LEFT + i as i64 * plot_width / (n as i64 - 1),
            };
            (x, y(*value))
        })
        .collect();
    let ticks = (0..=4).map(|k| (y(max * k / 4), max * k / 4)).collect();
    Chart {
        width,
        height,
        points,
        ticks,
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number() {
        let cases = [
            (0, 1),
            (1, 1),
            (7, 10),
            (12, 20),
            (120, 200),
            (450, 500),
            (100_000, 100_000),
            (100_001, 200_000),
        ];
        for (value, round) in cases {
            assert_eq!(nice_ceiling(value), round, "{value}");
        }
    }

    #[test]
    fn points_stay_inside_the_drawing_in_order() {
        let drawn = chart(&[0, 2_400, 3_100, 5_000], 640, 240);
        assert_eq!(drawn.max, 5_000);
        assert_eq!(drawn.points.len(), 4);
        assert_eq!(drawn.points[0], (LEFT, 240 - BOTTOM), "zero on the axis, at the left");
        assert_eq!(drawn.points[3], (640 - RIGHT, TOP), "the top value at the top right");
        assert!(drawn.points.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(drawn
            .points
            .iter()
            .all(|(x, y)| (0..=640).contains(x) && (0..=240).contains(y)));
        let values: Vec<i64> = drawn.ticks.iter().map(|(_, value)| *value).collect();
        assert_eq!(values, [0, 1_250, 2_500, 3_750, 5_000]);
        assert!(chart(&[], 640, 240).points.is_empty(), "nothing to draw");
        assert_eq!(chart(&[3], 640, 240).points[0].0, LEFT + (640 - LEFT - RIGHT) / 2);
    }
}
