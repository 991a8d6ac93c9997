//! The lineage graph's drawing: the nodes and edges of one [`Frame`] (a window of the layout, in
//! layout coordinates, at one level of detail), placed in layout coordinates — the view's pan and
//! zoom are the parent's `<g transform>`, never this component's. Its props are compared by
//! pointer (`Shared`) or are small values, so while the user pans and zooms inside the frame yew
//! skips it entirely and the browser only moves what was drawn.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::rc::Rc;

use dbt_triage::layout::{Layout, Position};
use dbt_triage::view::{self, ProjectView};
use yew::prelude::*;

use crate::shared::Shared;
use crate::svg;

/// How much of the layout is drawn, and how.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Frame {
    /// The window drawn, in layout coordinates (ignored by [`Detail::Overview`]).
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub detail: Detail,
}

/// The level of detail.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Detail {
    /// Nodes with their labels, each reachable with Tab.
    Labels,
    /// Nodes as boxes, zoomed out past reading.
    Boxes,
    /// More nodes in view than can be read: the whole graph drawn into a canvas beneath (see
    /// [`crate::overview`]), and only the failures, the affected exposures and the selected node
    /// as nodes of their own here (clickable, on top).
    Overview,
}

impl Frame {
    /// Nothing drawn yet: any view needs a new frame.
    pub const NONE: Frame = Frame {
        x0: 0.0,
        y0: 0.0,
        x1: 0.0,
        y1: 0.0,
        detail: Detail::Boxes,
    };

    pub fn contains(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> bool {
        x0 >= self.x0 && y0 >= self.y0 && x1 <= self.x1 && y1 <= self.y1
    }
}

/// An edge's end points in layout coordinates.
#[derive(PartialEq)]
pub struct EdgeAt {
    pub a: u32,
    pub b: u32,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// Set while a pointer drag or pinch moves the view, until the next pointerdown: the click that
/// ends a drag selects nothing.
#[derive(Clone, Default)]
pub struct Dragged(pub Rc<Cell<bool>>);

impl PartialEq for Dragged {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct GraphLayerProps {
    pub view: Shared<ProjectView>,
    pub layout: Shared<Layout>,
    pub geometry: Shared<Vec<EdgeAt>>,
    pub frame: Frame,
    pub selected: Option<u32>,
    pub highlight: Option<Shared<HashSet<u32>>>,
    pub on_select: Callback<Option<u32>>,
    pub dragged: Dragged,
    pub node_width: f64,
    pub node_height: f64,
}

#[function_component]
pub fn GraphLayer(props: &GraphLayerProps) -> Html {
    let (nw, nh) = (props.node_width, props.node_height);
    let f = props.frame;
    let node = |p: &Position| node_html(props, p, f.detail == Detail::Labels);
    if f.detail == Detail::Overview {
        // The rest of the overview is the canvas beneath (see [`crate::overview`]).
        let own: Vec<Html> =
            props
                .layout
                .positions
                .iter()
                .filter(|p| {
                    props.view.nodes.get(p.node as usize).is_some_and(|n| {
                        crate::overview::own(n.status, props.selected == Some(p.node))
                    })
                })
                .filter_map(node)
                .collect();
        return html! {
            <g class="overview">
                <g class="nodes">{ own }</g>
            </g>
        };
    }
    let visible =
        |x: f64, y: f64, w: f64, h: f64| x + w >= f.x0 && x <= f.x1 && y + h >= f.y0 && y <= f.y1;
    // The edges in the frame as a few paths (plain and highlighted, per part of the drawing), not
    // an element each: a hub's edges fan out across the whole drawing, thousands of them at once.
    // Each path covers only its part of the drawing, so that each tile the browser draws goes
    // through the edges that can cross it, not through all of them.
    let hl = props.highlight.as_ref();
    let mut paths = Paths::default();
    for e in props.geometry.iter().filter(|e| {
        let (bx, by) = (e.x1.min(e.x2), e.y1.min(e.y2));
        visible(bx, by, (e.x2 - e.x1).abs(), (e.y2 - e.y1).abs())
    }) {
        let on = hl.is_some_and(|h| h.contains(&e.a) && h.contains(&e.b));
        let (x1, y1, x2, y2) = (e.x1, e.y1, e.x2, e.y2);
        let c = (x2 - x1).abs().max(40.0) / 2.0;
        let _ = write!(
            paths.of(e, on),
            "M{x1:.1},{y1:.1}C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
            x1 + c,
            x2 - c
        );
    }
    let nodes: Vec<Html> = props
        .layout
        .positions
        .iter()
        .filter(|p| visible(p.x, p.y, nw, nh))
        .filter_map(node)
        .collect();
    html! {
        <>
            <g class="edges">{ paths.html() }</g>
            <g class="nodes">{ nodes }</g>
        </>
    }
}

/// Positions by node and the edges' end points among the `shown` nodes: made once per layout.
pub fn geometry(l: &Layout, v: &ProjectView, shown: &[u32], nw: f64, nh: f64) -> Vec<EdgeAt> {
    let at: HashMap<u32, &Position> = l.positions.iter().map(|p| (p.node, p)).collect();
    view::edges_among(v, shown)
        .into_iter()
        .filter_map(|(a, b)| {
            let (pa, pb) = (at.get(&a)?, at.get(&b)?);
            Some(EdgeAt {
                a,
                b,
                x1: pa.x + nw,
                y1: pa.y + nh / 2.0,
                x2: pb.x,
                y2: pb.y + nh / 2.0,
            })
        })
        .collect()
}

fn node_html(props: &GraphLayerProps, p: &Position, labels: bool) -> Option<Html> {
    let v = &props.view;
    let (nw, nh) = (props.node_width, props.node_height);
    let n = v.nodes.get(p.node as usize)?;
    let idx = p.node;
    let pbi = n.exposure.as_ref().is_some_and(|e| e.tool == "powerbi");
    let is_exposure = n.exposure.is_some();
    // A Power BI semantic model tied to dbt nodes by its tables' sources, not declared.
    let matched = n.exposure.as_ref().is_some_and(|e| e.matched_by_source());
    let sub_tag = n.exposure.as_ref().and_then(svg::sub_tag);
    let label = n
        .exposure
        .as_ref()
        .map(|e| e.label.clone())
        .unwrap_or_else(|| n.name.clone());
    let class = classes!(
        "node",
        format!("st-{}", n.status.as_str()),
        format!("kind-{}", n.resource_type),
        pbi.then_some("powerbi"),
        matched.then_some("matched"),
        (props.selected == Some(idx)).then_some("selected"),
        props
            .highlight
            .as_ref()
            .is_some_and(|h| h.contains(&idx))
            .then_some("hl"),
    );
    let on_click = {
        let on_select = props.on_select.clone();
        let dragged = props.dragged.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            // The click that ends a drag started on a node does not select it.
            if !dragged.0.get() {
                on_select.emit(Some(idx));
            }
        })
    };
    let on_node_key = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                on_select.emit(Some(idx));
            }
        })
    };
    let short = svg::truncate(&label, 24);
    Some(html! {
        <g key={idx} class={class} transform={format!("translate({:.1},{:.1})", p.x, p.y)}
           data-id={n.id.clone()} data-status={n.status.as_str()}
           tabindex={if labels { "0" } else { "-1" }} role="button"
           aria-label={format!("{} {} ({}{})", n.resource_type.replace('_', " "), label, n.status.as_str().replace('_', " "),
                               if matched { ", matched by source" } else { "" })}
           onclick={on_click} onkeydown={on_node_key}>
            <rect width={nw.to_string()} height={nh.to_string()} rx={if is_exposure { "18" } else { "5" }} />
            if labels {
                if let Some(tag) = sub_tag {
                    <text x="12" y="16">{ short }</text>
                    <text class="sub-tag" x="12" y="30">{ tag }</text>
                } else {
                    <text x="12" y="23">{ short }</text>
                }
                if pbi {
                    <g class="pbi-badge" transform={format!("translate({},8)", nw - 40.0)}>
                        <rect width="32" height="20" rx="4" />
                        <text x="16" y="14">{ "PBI" }</text>
                    </g>
                } else if is_exposure {
                    <text class="kind-tag" x={(nw - 10.0).to_string()} y="23">{ "exposure" }</text>
                }
                <title>{ node_title(n) }</title>
            }
        </g>
    })
}

/// Edges as SVG path data, one path per part of the drawing (by where an edge starts, in cells
/// of [`CELL_W`] × [`CELL_H`]) and per highlighted or not; the highlighted ones drawn last.
#[derive(Default)]
struct Paths(HashMap<(i32, i32, bool), String>);

const CELL_W: f64 = 1100.0;
const CELL_H: f64 = 1500.0;

impl Paths {
    fn of(&mut self, e: &EdgeAt, on: bool) -> &mut String {
        let cell = (
            (e.x1.min(e.x2) / CELL_W).floor() as i32,
            (e.y1.min(e.y2) / CELL_H).floor() as i32,
            on,
        );
        self.0.entry(cell).or_default()
    }

    fn html(self) -> Html {
        let mut paths: Vec<_> = self.0.into_iter().collect();
        paths.sort_by_key(|(k, _)| (k.2, k.0, k.1));
        paths
            .into_iter()
            .map(|((_, _, on), d)| html! { <path class={classes!("edge", on.then_some("hl"))} d={d} /> })
            .collect()
    }
}

/// A node's tooltip: its id; for a semantic model matched by source, which tables read what.
fn node_title(n: &view::ViewNode) -> String {
    match &n.exposure {
        Some(e) if e.matched_by_source() => {
            let mut t = format!("{}\nPower BI semantic model, matched by source:", n.id);
            for m in &e.matched_by {
                t.push_str(&format!("\n  {}", m.describe()));
            }
            t
        }
        _ => n.id.clone(),
    }
}
