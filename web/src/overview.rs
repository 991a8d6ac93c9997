//! The lineage graph's overview drawn into a `<canvas>`: every box and edge of the layout but the
//! nodes the overview keeps as nodes of their own (failures, affected exposures, the selected
//! node, which stay in the SVG on top), at one pan and zoom. A canvas is a bitmap: while a gesture
//! pans or zooms it, the browser moves and scales the pixels already there (a CSS transform of a
//! composited layer) and paints nothing — an SVG of thousands of paths is painted and rasterised
//! again at each scale it passes. It is drawn again, sharp, when the gesture ends. Knows nothing
//! of yew; the caller says when to draw.

use std::collections::HashSet;

use dbt_triage::layout::Layout;
use dbt_triage::view::{NodeStatus, ProjectView};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

use crate::components::graph_layer::EdgeAt;

/// The statuses in drawing order, each with its CSS colour variables (stroke, fill).
const STATUSES: [(NodeStatus, &str, &str); 8] = [
    (NodeStatus::NotRun, "--notrun", "--notrun-bg"),
    (NodeStatus::Passed, "--passed", "--passed-bg"),
    (NodeStatus::Warned, "--warned", "--warned-bg"),
    (NodeStatus::Stale, "--stale", "--stale-bg"),
    (NodeStatus::Skipped, "--skipped", "--skipped-bg"),
    (NodeStatus::AtRisk, "--atrisk", "--atrisk-bg"),
    (NodeStatus::Affected, "--affected", "--affected-bg"),
    (NodeStatus::Failed, "--failed", "--failed-bg"),
];

/// Boxes' top left corners in layout coordinates.
type Corners = Vec<(f64, f64)>;

/// What the canvas draws, made once per layout, highlight and selection: boxes grouped by
/// status and highlight, edges by highlight.
#[derive(Default)]
pub struct Scene {
    /// Per (status index in [`STATUSES`], highlighted): the boxes' top left corners.
    boxes: Vec<((usize, bool), Corners)>,
    /// Plain edges, then highlighted ones: x1, y1, x2, y2.
    edges: [Vec<[f64; 4]>; 2],
    /// Whether a highlight dims the rest.
    dimmed: bool,
    nw: f64,
    nh: f64,
}

/// Whether the overview keeps node `n` as a node of its own (in the SVG, clickable).
pub fn own(status: NodeStatus, selected: bool) -> bool {
    matches!(status, NodeStatus::Failed | NodeStatus::Affected) || selected
}

impl Scene {
    pub fn new(
        l: &Layout,
        view: &ProjectView,
        geometry: &[EdgeAt],
        hl: Option<&HashSet<u32>>,
        selected: Option<u32>,
        nw: f64,
        nh: f64,
    ) -> Scene {
        let mut groups: Vec<Corners> = vec![Vec::new(); STATUSES.len() * 2];
        for p in &l.positions {
            let Some(n) = view.nodes.get(p.node as usize) else {
                continue;
            };
            if own(n.status, selected == Some(p.node)) {
                continue;
            }
            let s = STATUSES
                .iter()
                .position(|(st, _, _)| *st == n.status)
                .unwrap_or(0);
            let on = hl.is_some_and(|h| h.contains(&p.node));
            groups[s * 2 + usize::from(on)].push((p.x, p.y));
        }
        // Highlighted boxes over the others.
        let mut boxes = Vec::new();
        for on in [false, true] {
            for s in 0..STATUSES.len() {
                let g = std::mem::take(&mut groups[s * 2 + usize::from(on)]);
                if !g.is_empty() {
                    boxes.push(((s, on), g));
                }
            }
        }
        let mut edges: [Vec<[f64; 4]>; 2] = Default::default();
        for e in geometry {
            let on = hl.is_some_and(|h| h.contains(&e.a) && h.contains(&e.b));
            edges[usize::from(on)].push([e.x1, e.y1, e.x2, e.y2]);
        }
        Scene {
            boxes,
            edges,
            dimmed: hl.is_some(),
            nw,
            nh,
        }
    }
}

/// Where the canvas is drawn: the view (screen = layout × k + (tx, ty)) and the canvas's size in
/// CSS pixels, placed `margin` CSS pixels above and left of the graph's top left corner.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct At {
    pub tx: f64,
    pub ty: f64,
    pub k: f64,
    pub w: f64,
    pub h: f64,
    pub mx: f64,
    pub my: f64,
}

/// The canvas's CSS transform that shows the picture drawn at `at` in the view (tx, ty, k): the
/// canvas sits at the graph's top left corner, its picture offset by the margin.
pub fn transform(at: &At, tx: f64, ty: f64, k: f64) -> String {
    let s = k / at.k;
    format!(
        "translate({:.2}px,{:.2}px) scale({:.5})",
        tx - s * (at.tx + at.mx),
        ty - s * (at.ty + at.my),
        s
    )
}

/// Draws `scene` into `canvas` at `at`, in the colours of `colours_of`'s CSS variables (light or
/// dark theme), at the device's pixel ratio (capped so that the canvas stays a few megapixels).
pub fn draw(canvas: &HtmlCanvasElement, colours_of: &Element, scene: &Scene, at: &At) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let dpr = window.device_pixel_ratio().max(1.0);
    let dpr = dpr.min((8.0e6 / (at.w * at.h).max(1.0)).sqrt()).max(0.5);
    let (pw, ph) = ((at.w * dpr).round() as u32, (at.h * dpr).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
        let style = canvas.style();
        let _ = style.set_property("width", &format!("{}px", at.w));
        let _ = style.set_property("height", &format!("{}px", at.h));
    }
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let css = window.get_computed_style(colours_of).ok().flatten();
    let colour = |var: &str, fallback: &str| {
        css.as_ref()
            .and_then(|s| s.get_property_value(var).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, f64::from(pw), f64::from(ph));
    // Layout coordinates → canvas pixels.
    let k = at.k * dpr;
    let (ox, oy) = ((at.tx + at.mx) * dpr, (at.ty + at.my) * dpr);
    let _ = ctx.set_transform(k, 0.0, 0.0, k, ox, oy);
    // What the canvas shows, in layout coordinates.
    let (x0, y0) = (-ox / k, -oy / k);
    let (x1, y1) = (x0 + f64::from(pw) / k, y0 + f64::from(ph) / k);
    let (nw, nh) = (scene.nw, scene.nh);
    let alpha = |on: bool| if scene.dimmed && !on { 0.3 } else { 1.0 };

    // Edges: straight lines, a pixel wide at least.
    for (i, lines) in scene.edges.iter().enumerate() {
        let on = i == 1;
        if lines.is_empty() {
            continue;
        }
        ctx.set_global_alpha(if on { 1.0 } else { alpha(false) });
        ctx.set_stroke_style_str(&if on {
            colour("--failed", "#d93025")
        } else {
            colour("--edge", "#9aa0a6")
        });
        ctx.set_line_width(if on {
            2.4_f64.max(1.5 / at.k)
        } else {
            1.3_f64.max(0.8 / at.k)
        });
        ctx.begin_path();
        for &[ax, ay, bx, by] in lines {
            if ax.max(bx) < x0 || ax.min(bx) > x1 || ay.max(by) < y0 || ay.min(by) > y1 {
                continue;
            }
            ctx.move_to(ax, ay);
            ctx.line_to(bx, by);
        }
        ctx.stroke();
    }
    // Boxes: filled and outlined in their status's colours; too small to show an outline, filled
    // with the outline's (stronger) colour.
    let tiny = nh * at.k < 6.0;
    for ((s, on), corners) in &scene.boxes {
        let (_, stroke, fill) = STATUSES[*s];
        ctx.set_global_alpha(alpha(*on));
        ctx.begin_path();
        for &(x, y) in corners {
            if x + nw < x0 || x > x1 || y + nh < y0 || y > y1 {
                continue;
            }
            ctx.rect(x, y, nw, nh);
        }
        let stroke = colour(stroke, "#8a8f98");
        if tiny {
            ctx.set_fill_style_str(&stroke);
            ctx.fill();
        } else {
            ctx.set_fill_style_str(&colour(fill, "#eceef1"));
            ctx.fill();
            ctx.set_stroke_style_str(&stroke);
            ctx.set_line_width(2.0_f64.max(1.0 / at.k));
            ctx.stroke();
        }
    }
    ctx.set_global_alpha(1.0);
}
