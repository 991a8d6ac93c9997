//! The lineage graph: an SVG of the laid-out nodes (left → right layers) coloured by status, with
//! exposures as pills and Power BI ones marked; scope controls (the failure's neighbourhood ± N
//! levels, or the whole project), search, pan and zoom by mouse, trackpad and keyboard. Only the
//! nodes and edges inside the viewport are drawn, and labels are dropped when zoomed far out, so
//! thousands of nodes stay responsive. Positions come from the worker; nothing is computed here
//! but what is visible.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::rc::Rc;

use dbt_triage::layout::{self, Layout, Position};
use dbt_triage::view::{self, NodeStatus, ProjectView};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, Element, HtmlInputElement, WheelEvent};
use yew::prelude::*;

use crate::download;
use crate::shared::Shared;
use crate::state::Scope;
use crate::svg::{self, Palette};

#[derive(Properties, PartialEq)]
pub struct LineageGraphProps {
    pub view: Shared<ProjectView>,
    pub shown: Shared<Vec<u32>>,
    pub layout: Option<Shared<Layout>>,
    pub scope: Scope,
    pub selected: Option<u32>,
    /// Nodes to highlight (a problem's subgraph); the rest are dimmed.
    pub highlight: Option<Shared<HashSet<u32>>>,
    pub on_select: Callback<Option<u32>>,
    pub on_scope: Callback<Scope>,
    pub on_reveal: Callback<u32>,
    /// Shown nodes whose children were folded away, how many, and what unfolds one.
    #[prop_or_default]
    pub folded: Shared<Vec<(u32, usize)>>,
    #[prop_or_default]
    pub on_expand: Callback<u32>,
}

/// How many folded fan-outs the graph offers to expand by name.
const FOLDED_LISTED: usize = 6;

/// Pan and zoom: screen = layout * k + (tx, ty).
#[derive(Clone, Copy, PartialEq)]
struct View {
    tx: f64,
    ty: f64,
    k: f64,
    /// The viewport's size in CSS pixels.
    w: f64,
    h: f64,
}

const MIN_K: f64 = 0.02;
const MAX_K: f64 = 3.0;
/// Below this zoom, boxes are drawn without labels.
const LABEL_K: f64 = 0.35;
/// Above this many nodes in view, the graph is drawn as an overview (see `drawing`).
const OVERVIEW_NODES: usize = 300;

/// What the overview is made from; the same key, the same overview.
#[derive(Clone)]
struct OverviewKey {
    geometry: Rc<Vec<EdgeAt>>,
    layout: Option<Shared<Layout>>,
    view: Shared<ProjectView>,
    highlight: Option<Shared<HashSet<u32>>>,
    selected: Option<u32>,
}

impl PartialEq for OverviewKey {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.geometry, &o.geometry)
            && self.layout == o.layout
            && self.view == o.view
            && self.highlight == o.highlight
            && self.selected == o.selected
    }
}

/// The whole graph as a few paths (see `overview` in [`LineageGraph`]).
fn make_overview(key: &OverviewKey, nw: f64, nh: f64) -> Overview {
    let (geometry, layout, view, highlight, selected) = (
        &key.geometry,
        &key.layout,
        &key.view,
        &key.highlight,
        &key.selected,
    );
    let mut o = Overview::default();
    let Some(l) = layout else {
        return o;
    };
    let hl = highlight.as_ref();
    let (mut edges, mut edges_hl) = (String::new(), String::new());
    for e in geometry.iter() {
        let on = hl.is_some_and(|h| h.contains(&e.a) && h.contains(&e.b));
        let d = if on { &mut edges_hl } else { &mut edges };
        let _ = write!(d, "M{:.0},{:.0}L{:.0},{:.0}", e.x1, e.y1, e.x2, e.y2);
    }
    let mut groups: Vec<((NodeStatus, bool), String)> = Vec::new();
    for p in &l.positions {
        let Some(n) = view.nodes.get(p.node as usize) else {
            continue;
        };
        if matches!(n.status, NodeStatus::Failed | NodeStatus::Affected)
            || *selected == Some(p.node)
        {
            o.own.push(*p);
            continue;
        }
        let key = (n.status, hl.is_some_and(|h| h.contains(&p.node)));
        let at = match groups.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                groups.push((key, String::new()));
                groups.len() - 1
            }
        };
        let _ = write!(groups[at].1, "M{:.0},{:.0}h{nw}v{nh}h-{nw}z", p.x, p.y);
    }
    o.edges = edges.into();
    o.edges_hl = edges_hl.into();
    o.groups = groups
        .into_iter()
        .map(|((status, on), d)| {
            let class = classes!(
                "ov-group",
                format!("st-{}", status.as_str()),
                on.then_some("hl")
            );
            (class, AttrValue::from(d))
        })
        .collect();
    o
}

/// The whole graph as a few paths, for the overview (see `overview`).
#[derive(Default)]
struct Overview {
    edges: AttrValue,
    edges_hl: AttrValue,
    /// Per status (and highlighted or not): its CSS classes and the boxes of its nodes.
    groups: Vec<(Classes, AttrValue)>,
    /// Nodes drawn as nodes of their own even in the overview.
    own: Vec<Position>,
}

/// An edge's end points in layout coordinates.
#[derive(PartialEq)]
struct EdgeAt {
    a: u32,
    b: u32,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
}

#[function_component]
pub fn LineageGraph(props: &LineageGraphProps) -> Html {
    let svg_ref = use_node_ref();
    let tf = use_state(|| View {
        tx: 20.0,
        ty: 20.0,
        k: 1.0,
        w: 800.0,
        h: 500.0,
    });
    let drag = use_mut_ref(|| None::<(f64, f64, f64, f64, bool)>);
    let query = use_state(String::new);
    let cfg = layout::Config::default();

    // Fit the drawing when a new layout arrives; when that would be too small to read, start
    // at a readable zoom on the first failed node instead.
    {
        let tf = tf.clone();
        let svg_ref = svg_ref.clone();
        let view = props.view.clone();
        use_effect_with(props.layout.clone(), move |layout| {
            if let (Some(l), Some(el)) = (layout, svg_ref.cast::<Element>()) {
                let mut v = fit(l, &el);
                // Problem 1's root (problems are ordered by blast radius), else any failed node.
                let is_failed = |i: u32| {
                    view.nodes
                        .get(i as usize)
                        .is_some_and(|n| n.status == NodeStatus::Failed)
                };
                let first_root = view
                    .problems
                    .first()
                    .and_then(|p| p.nodes.iter().copied().find(|&i| is_failed(i)));
                let failed = first_root
                    .and_then(|r| l.positions.iter().find(|p| p.node == r))
                    .or_else(|| l.positions.iter().find(|p| is_failed(p.node)));
                if let (true, Some(p)) = (v.k < LABEL_K, failed) {
                    v.k = 0.8;
                    v.tx = v.w / 4.0 - p.x * v.k;
                    v.ty = v.h / 2.0 - (p.y + 18.0) * v.k;
                }
                tf.set(v);
            }
        });
    }
    // Bring a selected node into view when it is off screen.
    {
        let tf = tf.clone();
        use_effect_with(
            (props.selected, props.layout.clone()),
            move |(sel, layout)| {
                if let (Some(n), Some(l)) = (sel, layout) {
                    if let Some(p) = l.positions.iter().find(|p| p.node == *n) {
                        let v = *tf;
                        let (sx, sy) = (p.x * v.k + v.tx, p.y * v.k + v.ty);
                        if sx < 0.0 || sy < 0.0 || sx + 200.0 * v.k > v.w || sy > v.h - 36.0 * v.k {
                            let k = v.k.max(0.6);
                            tf.set(View {
                                k,
                                tx: v.w / 2.0 - (p.x + 100.0) * k,
                                ty: v.h / 2.0 - (p.y + 18.0) * k,
                                ..v
                            });
                        }
                    }
                }
            },
        );
    }
    // Wheel zoom needs a non-passive native listener to keep the page from scrolling.
    {
        let tf = tf.clone();
        let svg_ref = svg_ref.clone();
        use_effect_with((), move |_| {
            let el = svg_ref.cast::<Element>();
            let listener = Closure::<dyn FnMut(WheelEvent)>::new(move |e: WheelEvent| {
                e.prevent_default();
                let Some(target) = e
                    .current_target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                else {
                    return;
                };
                let rect = target.get_bounding_client_rect();
                let (mx, my) = (
                    f64::from(e.client_x()) - rect.left(),
                    f64::from(e.client_y()) - rect.top(),
                );
                tf.set(zoom_at(*tf, (-e.delta_y() * 0.0015).exp(), mx, my));
            });
            if let Some(el) = &el {
                let opts = AddEventListenerOptions::new();
                opts.set_passive(false);
                let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
                    "wheel",
                    listener.as_ref().unchecked_ref(),
                    &opts,
                );
            }
            move || {
                if let Some(el) = el {
                    let _ = el.remove_event_listener_with_callback(
                        "wheel",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }

    let v = &props.view;
    let on_pointer_down = {
        let drag = drag.clone();
        let tf = tf.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *drag.borrow_mut() = Some((
                f64::from(e.client_x()),
                f64::from(e.client_y()),
                tf.tx,
                tf.ty,
                false,
            ));
        })
    };
    let on_pointer_move = {
        let drag = drag.clone();
        let tf = tf.clone();
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            if let Some((x0, y0, tx0, ty0, moved)) = d.as_mut() {
                let (dx, dy) = (f64::from(e.client_x()) - *x0, f64::from(e.client_y()) - *y0);
                if !*moved && dx.abs() + dy.abs() < 4.0 {
                    return;
                }
                *moved = true;
                tf.set(View {
                    tx: *tx0 + dx,
                    ty: *ty0 + dy,
                    ..*tf
                });
            }
        })
    };
    let on_pointer_up = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            // Keep "moved" until the click that follows has been seen.
            let mut d = drag.borrow_mut();
            if let Some((_, _, _, _, false)) = *d {
                *d = None;
            }
        })
    };
    let on_background_click = {
        let drag = drag.clone();
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| {
            let moved = matches!(drag.borrow_mut().take(), Some((_, _, _, _, true)));
            if !moved {
                on_select.emit(None);
            }
        })
    };
    let on_key = {
        let tf = tf.clone();
        let layout = props.layout.clone();
        let svg_ref = svg_ref.clone();
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            let v = *tf;
            let step = 60.0;
            let next = match e.key().as_str() {
                "ArrowLeft" => View {
                    tx: v.tx + step,
                    ..v
                },
                "ArrowRight" => View {
                    tx: v.tx - step,
                    ..v
                },
                "ArrowUp" => View {
                    ty: v.ty + step,
                    ..v
                },
                "ArrowDown" => View {
                    ty: v.ty - step,
                    ..v
                },
                "+" | "=" => zoom_at(v, 1.25, v.w / 2.0, v.h / 2.0),
                "-" | "_" => zoom_at(v, 0.8, v.w / 2.0, v.h / 2.0),
                "0" => match (&layout, svg_ref.cast::<Element>()) {
                    (Some(l), Some(el)) => fit(l, &el),
                    _ => v,
                },
                "Escape" => {
                    on_select.emit(None);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            tf.set(next);
        })
    };
    let zoom_button = |factor: f64| {
        let tf = tf.clone();
        Callback::from(move |_: MouseEvent| {
            let v = *tf;
            tf.set(zoom_at(v, factor, v.w / 2.0, v.h / 2.0))
        })
    };
    let on_fit = {
        let tf = tf.clone();
        let layout = props.layout.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(l), Some(el)) = (&layout, svg_ref.cast::<Element>()) {
                tf.set(fit(l, &el));
            }
        })
    };

    let frame_ref = use_node_ref();
    let on_download = {
        let view = props.view.clone();
        let layout = props.layout.clone();
        let highlight = props.highlight.clone();
        let frame_ref = frame_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(l) = &layout else {
                return;
            };
            let palette = frame_ref
                .cast::<Element>()
                .map(|el| palette_of(&el))
                .unwrap_or_default();
            let text = svg::standalone(&view, l, highlight.as_deref(), &palette);
            download::save("dbt-triage-lineage.svg", "image/svg+xml", &text);
        })
    };

    // Scope controls.
    let hops = match props.scope {
        Scope::Focus { up, down } => Some((up, down)),
        Scope::Whole => None,
    };
    let (up, down) = hops.unwrap_or((1, 1));
    let set_hops = |up: u32, down: u32| {
        props
            .on_scope
            .reform(move |_: MouseEvent| Scope::Focus { up, down })
    };
    let whole = props.on_scope.reform(|_: MouseEvent| Scope::Whole);
    let folded_html = {
        let folded = props.folded.clone();
        let hidden: usize = folded.iter().map(|(_, n)| n).sum();
        html! {
            if hops.is_some() && !folded.is_empty() {
                <div class="folded" role="status">
                    <span class="label">{ format!("{hidden} downstream nodes folded:") }</span>
                    { for folded.iter().take(FOLDED_LISTED).map(|&(node, n)| {
                        let name = v.nodes.get(node as usize).map(|x| x.name.clone()).unwrap_or_default();
                        let expand = props.on_expand.reform(move |_: MouseEvent| node);
                        html! {
                            <button class="button small expand" onclick={expand}
                                    title={format!("Show all the children of {name}")}>
                                { format!("{name}: {n} more — expand") }
                            </button>
                        }
                    }) }
                    if folded.len() > FOLDED_LISTED {
                        <span class="muted">{ format!("and {} more", folded.len() - FOLDED_LISTED) }</span>
                    }
                </div>
            }
        }
    };

    // Search.
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let hits = view::search(v, &query, 12);
    let on_search_key = {
        let first = hits.first().copied();
        let on_reveal = props.on_reveal.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                if let Some(n) = first {
                    on_reveal.emit(n);
                }
            }
        })
    };

    // What is visible.
    let t = *tf;
    let (vx0, vy0) = ((-t.tx) / t.k, (-t.ty) / t.k);
    let (vx1, vy1) = (vx0 + t.w / t.k, vy0 + t.h / t.k);
    let margin = 40.0;
    let visible = |x: f64, y: f64, w: f64, h: f64| {
        x + w >= vx0 - margin && x <= vx1 + margin && y + h >= vy0 - margin && y <= vy1 + margin
    };
    let labels = t.k >= LABEL_K;
    let (nw, nh) = (cfg.node_width, cfg.node_height);

    let hl = props.highlight.as_ref();
    let node_html = |p: &Position| -> Option<Html> {
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
            hl.is_some_and(|h| h.contains(&idx)).then_some("hl"),
        );
        let on_click = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                on_select.emit(Some(idx));
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
        let short = truncate(&label, 24);
        Some(html! {
            <g class={class} transform={format!("translate({:.1},{:.1})", p.x, p.y)}
               data-id={n.id.clone()} data-status={n.status.as_str()}
               tabindex={if labels { "0" } else { "-1" }} role="button"
               aria-label={format!("{} {} ({}{})", n.resource_type.replace('_', " "), label, n.status.as_str().replace('_', " "),
                                   if matched { ", matched by source" } else { "" })}
               onclick={on_click} onkeydown={on_node_key} onpointerdown={Callback::from(|e: PointerEvent| e.stop_propagation())}>
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
    };
    // Positions by node and the edges' end points: computed once per layout, not per frame.
    let geometry = use_memo(
        (
            props.layout.clone(),
            props.shown.clone(),
            props.view.clone(),
        ),
        |(layout, shown, view)| {
            let Some(l) = layout else {
                return Vec::new();
            };
            let at: HashMap<u32, &Position> = l.positions.iter().map(|p| (p.node, p)).collect();
            view::edges_among(view, shown)
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
                .collect::<Vec<EdgeAt>>()
        },
    );

    // Level of detail: with more nodes in view than can be read, the graph is drawn as an
    // overview — a few SVG paths (one per status, one for the edges) holding the whole graph,
    // made once per layout and selection, so that panning and zooming only move them — and only
    // the failures, the affected exposures and the selected node stay nodes of their own
    // (clickable, on top). Zooming in brings the nodes back.
    // Made on the first frame that needs it, then kept while the layout and selection stay.
    let overview_cache = use_mut_ref(|| None::<(OverviewKey, Rc<Overview>)>);
    let overview_key = OverviewKey {
        geometry: geometry.clone(),
        layout: props.layout.clone(),
        view: props.view.clone(),
        highlight: props.highlight.clone(),
        selected: props.selected,
    };
    let overview = || -> Rc<Overview> {
        let mut cache = overview_cache.borrow_mut();
        match &*cache {
            Some((key, o)) if *key == overview_key => o.clone(),
            _ => {
                let o = Rc::new(make_overview(&overview_key, nw, nh));
                *cache = Some((overview_key.clone(), o.clone()));
                o
            }
        }
    };

    let drawing = props.layout.as_ref().map(|l| {
        let visible_edges = geometry.iter().filter(|e| {
            let (bx, by) = (e.x1.min(e.x2), e.y1.min(e.y2));
            visible(bx, by, (e.x2 - e.x1).abs(), (e.y2 - e.y1).abs())
        });
        let in_view: Vec<&Position> = l
            .positions
            .iter()
            .filter(|p| visible(p.x, p.y, nw, nh))
            .collect();
        // Level of detail: with more nodes in view than can be read, the graph is drawn as an
        // overview — a few SVG paths (one per status, one for the edges) instead of thousands of
        // elements — and only the failures, the affected exposures and the selected node stay
        // nodes of their own (clickable, on top). Zooming in brings the nodes back.
        // Only when zoomed out past reading: at a readable zoom every node stays a node (to click
        // and to reach with Tab).
        if !labels && in_view.len() > OVERVIEW_NODES {
            let overview = overview();
            let own_html: Vec<Html> = overview.own.iter().filter_map(node_html).collect();
            return html! {
                <g transform={format!("translate({:.2},{:.2}) scale({:.4})", t.tx, t.ty, t.k)} class="overview">
                    <g class="edges">
                        <path class="edge" d={overview.edges.clone()} />
                        if !overview.edges_hl.is_empty() { <path class="edge hl" d={overview.edges_hl.clone()} /> }
                    </g>
                    <g class="nodes">
                        // A click on the overview's boxes is not a click on the background (which
                        // would clear the selection); zooming in makes them nodes again.
                        { for overview.groups.iter().map(|(class, d)| html! {
                            <g class={class.clone()} onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                                <path class="ov" d={d.clone()} />
                            </g>
                        }) }
                        { own_html }
                    </g>
                </g>
            };
        }
        // The edges in view as two paths (plain and highlighted), not an element each: a hub's
        // edges fan out across the whole drawing, thousands of them in view at once.
        let (mut edge_d, mut edge_hl_d) = (String::new(), String::new());
        for e in visible_edges {
            let on = hl.is_some_and(|h| h.contains(&e.a) && h.contains(&e.b));
            let (x1, y1, x2, y2) = (e.x1, e.y1, e.x2, e.y2);
            let c = (x2 - x1).abs().max(40.0) / 2.0;
            let _ = write!(
                if on { &mut edge_hl_d } else { &mut edge_d },
                "M{x1:.1},{y1:.1}C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
                x1 + c,
                x2 - c
            );
        }
        let edges_html = html! {
            <>
                if !edge_d.is_empty() { <path class="edge" d={edge_d} /> }
                if !edge_hl_d.is_empty() { <path class="edge hl" d={edge_hl_d} /> }
            </>
        };
        let nodes_html: Vec<Html> = in_view.iter().filter_map(|p| node_html(p)).collect();
        html! {
            <g transform={format!("translate({:.2},{:.2}) scale({:.4})", t.tx, t.ty, t.k)}>
                <g class="edges">{ edges_html }</g>
                <g class="nodes">{ nodes_html }</g>
            </g>
        }
    });

    let total = v.nodes.len();
    // Stale and at-risk marks appear in the legend only in runs that have them.
    let has_status = |st: NodeStatus| v.nodes.iter().any(|n| n.status == st);
    html! {
        <section class="graph" aria-label="Lineage graph">
            <div class="graph-controls">
                <div class="group" role="group" aria-label="How much to show">
                    <span class="label">{ "Show:" }</span>
                    <button id="focus-failure" class={classes!("button", "small", hops.is_some().then_some("on"))}
                            onclick={set_hops(up, down)} aria-pressed={hops.is_some().to_string()}
                            title="The failed nodes and the levels around them">
                        { "failure" }
                    </button>
                    <span class="hops" role="group" aria-label="Levels upstream">
                        <button class="button small" aria-label="One level less upstream" disabled={hops.is_none() || up == 0}
                                onclick={set_hops(up.saturating_sub(1), down)}>{ "−" }</button>
                        <span id="hops-up" class="hop-count" title="levels upstream">{ format!("↑{up}") }</span>
                        <button class="button small" aria-label="One level more upstream"
                                onclick={set_hops(up + 1, down)}>{ "+" }</button>
                    </span>
                    <span class="hops" role="group" aria-label="Levels downstream">
                        <button class="button small" aria-label="One level less downstream" disabled={hops.is_none() || down == 0}
                                onclick={set_hops(up, down.saturating_sub(1))}>{ "−" }</button>
                        <span id="hops-down" class="hop-count" title="levels downstream">{ format!("↓{down}") }</span>
                        <button class="button small" aria-label="One level more downstream"
                                onclick={set_hops(up, down + 1)}>{ "+" }</button>
                    </span>
                    <button id="whole-project" class={classes!("button", "small", hops.is_none().then_some("on"))}
                            aria-pressed={hops.is_none().to_string()} onclick={whole}>
                        { format!("whole project ({total})") }
                    </button>
                </div>
                <div class="group" role="group" aria-label="Zoom">
                    <button class="button small" aria-label="Zoom out" onclick={zoom_button(0.8)}>{ "−" }</button>
                    <button class="button small" aria-label="Zoom in" onclick={zoom_button(1.25)}>{ "+" }</button>
                    <button class="button small" onclick={on_fit}>{ "Fit" }</button>
                </div>
                <div class="group">
                    <button id="download-svg" class="button small" onclick={on_download} disabled={props.layout.is_none()}
                            title="The graph as an SVG file, in the colours shown">{ "Download SVG" }</button>
                </div>
                <div class="group search">
                    <label for="node-search" class="label">{ "Find:" }</label>
                    <input id="node-search" type="search" placeholder="node name" autocomplete="off"
                           value={(*query).clone()} oninput={on_query} onkeydown={on_search_key}
                           aria-controls="search-results" />
                    if !query.trim().is_empty() {
                        <ul id="search-results" class="search-results" role="listbox">
                            if hits.is_empty() { <li class="none">{ "no node by that name" }</li> }
                            { for hits.iter().map(|&i| {
                                let n = &v.nodes[i as usize];
                                let pick = {
                                    let on_reveal = props.on_reveal.clone();
                                    let query = query.clone();
                                    Callback::from(move |_: MouseEvent| { on_reveal.emit(i); query.set(String::new()); })
                                };
                                html! {
                                    <li role="option">
                                        <button class={classes!("link", format!("st-{}", n.status.as_str()))} onclick={pick}>
                                            { &n.name }<span class="muted">{ format!(" {}", n.resource_type) }</span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                </div>
            </div>
            { folded_html }
            <div class="graph-frame" ref={frame_ref}>
                <svg ref={svg_ref} class={classes!("graph-svg", props.highlight.is_some().then_some("dimmed"))}
                     tabindex="0" role="application"
                     aria-label="Lineage: arrow keys pan, + and − zoom, 0 fits, Tab moves between nodes"
                     onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                     onpointerup={on_pointer_up} onclick={on_background_click} onkeydown={on_key}>
                    { drawing.unwrap_or_default() }
                </svg>
                if props.layout.is_none() {
                    <p class="graph-wait" role="status">{ format!("Laying out {} nodes…", props.shown.len()) }</p>
                }
                <ul class="legend" aria-label="Legend">
                    <li><span class="swatch st-failed"></span>{ "failed" }</li>
                    <li><span class="swatch st-skipped"></span>{ "skipped" }</li>
                    <li><span class="swatch st-passed"></span>{ "passed" }</li>
                    <li><span class="swatch st-warned"></span>{ "warned" }</li>
                    <li><span class="swatch st-not_run"></span>{ "not run" }</li>
                    <li><span class="swatch st-affected pill"></span>{ "affected exposure" }</li>
                    if has_status(NodeStatus::Stale) {
                        <li><span class="swatch st-stale"></span>{ "stale data" }</li>
                    }
                    if has_status(NodeStatus::AtRisk) {
                        <li><span class="swatch st-at_risk pill"></span>{ "at risk" }</li>
                    }
                    <li><span class="pbi-mark">{ "PBI" }</span>{ "Power BI" }</li>
                    <li><span class="swatch st-affected pill matched"></span>{ "matched by source" }</li>
                </ul>
                <p class="graph-count muted">{ format!("{} of {} nodes", props.shown.len(), total) }</p>
            </div>
        </section>
    }
}

/// A node's tooltip: its id; for a semantic model matched by source, which tables read what.
fn node_title(n: &view::ViewNode) -> String {
    match &n.exposure {
        Some(e) if e.matched_by_source() => {
            let mut t = format!("{}\nPower BI semantic model, matched by source:", n.id);
            for m in &e.matched_by {
                t.push_str(&format!(
                    "\n  table {} reads {} ← {}",
                    m.table,
                    m.relation,
                    dbt_triage::report::short(&m.node)
                ));
            }
            t
        }
        _ => n.id.clone(),
    }
}

/// The colours the graph is drawn with now (light or dark theme), from the CSS variables.
fn palette_of(el: &Element) -> Palette {
    let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten())
    else {
        return Palette::default();
    };
    Palette(
        svg::COLOR_VARIABLES
            .iter()
            .chain(&["--affected-bg"])
            .filter_map(|v| Some((v.to_string(), style.get_property_value(v).ok()?)))
            .collect(),
    )
}

fn fit(l: &Layout, el: &Element) -> View {
    let r = el.get_bounding_client_rect();
    let (w, h) = (r.width().max(100.0), r.height().max(100.0));
    let pad = 24.0;
    let k = ((w - 2.0 * pad) / l.width.max(1.0))
        .min((h - 2.0 * pad) / l.height.max(1.0))
        .clamp(MIN_K, 1.0);
    View {
        tx: (w - l.width * k) / 2.0,
        ty: (h - l.height * k) / 2.0,
        k,
        w,
        h,
    }
}

fn zoom_at(v: View, factor: f64, mx: f64, my: f64) -> View {
    let k = (v.k * factor).clamp(MIN_K, MAX_K);
    let f = k / v.k;
    View {
        tx: mx - (mx - v.tx) * f,
        ty: my - (my - v.ty) * f,
        k,
        ..v
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
