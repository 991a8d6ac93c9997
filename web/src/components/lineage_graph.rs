//! The lineage graph: an SVG of the laid-out nodes (left → right layers) coloured by status, with
//! exposures as pills and Power BI ones marked; scope controls (the failure's neighbourhood ± N
//! levels, or the whole project), search, a minimap, pan and zoom by mouse, trackpad, touch (one
//! finger drags, two pinch) and keyboard.
//!
//! Panning and zooming render nothing: the view (pan and zoom) lives in a `RefCell`. Each step of
//! a drag only sets the `transform` of one `<g>` (composited by the browser, see `.viewport` in
//! the CSS) and of the minimap's rectangle; each step of a zoom gesture (wheel, pinch, keys) only
//! scales the `<svg>` already drawn as a picture (a CSS transform), and the `<g>` takes the new
//! scale once the gesture ends. What is drawn — the [`GraphLayer`], a window of the layout around
//! the viewport at one level of detail — is drawn again only when the view leaves that window, or
//! at the end of a gesture that crossed a level of detail, so thousands of nodes pan and zoom at
//! the display's frame rate. The overview's boxes and edges are a canvas beneath the `<svg>`
//! ([`crate::overview`]), moved and scaled with it as a bitmap and drawn again once a gesture ends. Positions come from the worker; nothing is computed here but what is
//! visible. The wheel, window-resize and theme listeners and the timer that ends a zoom are
//! gloo's, owned by the effect that made them (the wheel's listener is non-passive, to keep the
//! page from scrolling).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use dbt_triage::layout::{self, Layout};
use dbt_triage::view::{self, NodeStatus, ProjectView};
use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement, SvgElement, WheelEvent};
use yew::prelude::*;

use crate::components::graph_downloads::GraphDownloads;
use crate::components::graph_layer::{self, Detail, Dragged, Frame, GraphLayer};
use crate::components::minimap::Minimap;
use crate::overview::{self, Scene};
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
/// Below this zoom, boxes are drawn without labels (their text would be under 6.5 px).
const LABEL_K: f64 = 0.5;
/// A zoom at which labels read well, on a phone too.
const READABLE_K: f64 = 0.6;
/// Above this many nodes in view, the graph is drawn as an overview (see [`Detail::Overview`]).
const OVERVIEW_NODES: usize = 300;
/// Below this width (CSS pixels) the graph is on a phone.
const NARROW: f64 = 600.0;

/// What the graph's event handlers share: the view, what is drawn, the pointers down.
struct Live {
    view: View,
    frame: Frame,
    layout: Option<Shared<Layout>>,
    /// Pointers down on the graph: id and position.
    pointers: Vec<(i32, f64, f64)>,
    gesture: Option<Gesture>,
    /// The graph's top left corner on the page when the gesture started (not read on each move:
    /// that would force a layout every frame).
    origin: (f64, f64),
    /// The view the drawing's `<g>` shows (`view` differs while a zoom is under way).
    drawn: Option<View>,
    /// A zoom gesture is under way: the drawing is scaled as a picture (see [`Mover::zoom`]).
    zooming: bool,
    /// What the overview's canvas shows (made per layout, highlight and selection), and where and
    /// what it was last drawn at (`None`: hidden).
    scene: Option<Rc<Scene>>,
    canvas_at: Option<(overview::At, Rc<Scene>)>,
}

/// A pointer gesture under way, from the view it started on.
#[derive(Clone, Copy)]
enum Gesture {
    Drag {
        x0: f64,
        y0: f64,
        v0: View,
        moved: bool,
    },
    Pinch {
        d0: f64,
        mx0: f64,
        my0: f64,
        v0: View,
    },
}

/// The handles that move the view without rendering.
#[derive(Clone)]
struct Mover {
    live: Rc<RefCell<Live>>,
    viewport: NodeRef,
    minimap: NodeRef,
    redraw: UseForceUpdateHandle,
    /// The `<svg>`, scaled as a picture while a zoom is under way.
    svg: NodeRef,
    /// The overview's `<canvas>` (see [`crate::overview`]), and the element whose CSS variables
    /// colour it.
    canvas: NodeRef,
    colours: NodeRef,
    /// The timer that ends a zoom (see [`Mover::zoom`]): dropping it cancels it.
    settle: Rc<RefCell<Option<Timeout>>>,
    nw: f64,
    nh: f64,
}

/// How long after its last step a zoom gesture (wheel, pinch, keys) is taken as over.
const SETTLE_MS: u32 = 160;

impl Mover {
    fn view(&self) -> View {
        self.live.borrow().view
    }

    /// Shows `v` at once: moves the drawing and the minimap's rectangle, and draws again only
    /// when `v` needs another frame than the one drawn. A zoom under way ends here (it is drawn
    /// at its scale).
    fn show(&self, v: View) {
        self.place(v, false);
    }

    /// Shows `v` as a step of a drag: like [`Mover::show`], but at the level of detail drawn (it
    /// changes when the drag ends, not while the number of nodes in view goes back and forth).
    fn pan(&self, v: View) {
        self.place(v, true);
    }

    fn place(&self, v: View, keep: bool) {
        self.cancel_settle();
        let mut live = self.live.borrow_mut();
        live.view = v;
        let scaled = std::mem::replace(&mut live.zooming, false);
        live.drawn = Some(v);
        if let Some(g) = self.viewport.cast::<Element>() {
            let _ = g.set_attribute("transform", &transform(&v));
        }
        if scaled {
            if let Some(el) = self.svg.cast::<SvgElement>() {
                let style = el.style();
                let _ = style.remove_property("transform");
                let _ = style.remove_property("will-change");
                let _ = el.remove_attribute("data-zooming");
            }
        }
        if let Some(r) = self.minimap.cast::<Element>() {
            let _ = r.set_attribute("transform", &minimap_rect(&v));
        }
        let next = live
            .layout
            .as_ref()
            .and_then(|l| needed_frame(&v, l, live.frame, keep, self.nw, self.nh));
        if let Some(f) = next {
            live.frame = f;
        }
        self.canvas(&mut live, v);
        drop(live);
        if next.is_some() {
            self.redraw.force_update();
        }
    }

    /// Shows the overview's canvas at `v` when the overview is drawn (else hides it): moved and
    /// scaled as a picture while it holds `v` (the same scene, zoom and size, and `v` panned less
    /// than its margin), else drawn again at `v` — a margin of a third of the view around it, so
    /// that a drag draws again only every third of a view.
    fn canvas(&self, live: &mut Live, v: View) {
        let Some(c) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let scene = live.scene.clone().filter(|_| {
            live.layout.is_some()
                && live.frame != Frame::NONE
                && live.frame.detail == Detail::Overview
        });
        let Some(scene) = scene else {
            if live.canvas_at.take().is_some() {
                let _ = c.set_attribute("hidden", "");
            }
            return;
        };
        let (mx, my) = (v.w / 3.0, v.h / 3.0);
        let holds = live.canvas_at.as_ref().is_some_and(|(a, s)| {
            Rc::ptr_eq(s, &scene)
                && a.k == v.k
                && (a.mx, a.my) == (mx, my)
                && (v.tx - a.tx).abs() <= mx
                && (v.ty - a.ty).abs() <= my
        });
        if !holds {
            let at = overview::At {
                tx: v.tx,
                ty: v.ty,
                k: v.k,
                w: v.w + 2.0 * mx,
                h: v.h + 2.0 * my,
                mx,
                my,
            };
            let colours = self
                .colours
                .cast::<Element>()
                .unwrap_or_else(|| c.clone().into());
            overview::draw(&c, &colours, &scene, &at);
            live.canvas_at = Some((at, scene));
        }
        if let Some((at, _)) = &live.canvas_at {
            let _ = c
                .style()
                .set_property("transform", &overview::transform(at, v.tx, v.ty, v.k));
        }
        let _ = c.remove_attribute("hidden");
    }

    /// Draws the overview's canvas again in the colours of now (the system's theme changed: the
    /// SVG follows its CSS variables by itself, a bitmap does not).
    fn repaint_canvas(&self) {
        let mut live = self.live.borrow_mut();
        if live.canvas_at.take().is_some() {
            let v = live.view;
            self.canvas(&mut live, v);
        }
    }

    /// Draws the overview's canvas again if what it shows changed (a new scene).
    fn refresh_canvas(&self) {
        let mut live = self.live.borrow_mut();
        if live.canvas_at.is_some() && !live.zooming {
            let v = live.view;
            self.canvas(&mut live, v);
        }
    }

    /// Shows `v` as a step of a zoom gesture: the picture already drawn is scaled and moved (a
    /// CSS transform of the `<svg>`, on a compositor layer of its own while the gesture lasts:
    /// always on one, it made each pan of the drawing inside it cost a re-layering of the page),
    /// so a step draws nothing; the
    /// drawing is made at the new scale [`SETTLE_MS`] after the last step (or when the pinch
    /// ends, or anything else moves the view). Until then, what lay outside the drawn frame is
    /// blank.
    fn zoom(&self, v: View) {
        let mut live = self.live.borrow_mut();
        let Some(d) = live.drawn else {
            drop(live);
            return self.show(v);
        };
        live.view = v;
        let started = !std::mem::replace(&mut live.zooming, true);
        drop(live);
        let s = v.k / d.k;
        if let Some(el) = self.svg.cast::<SvgElement>() {
            let style = el.style();
            if started {
                let _ = style.set_property("will-change", "transform");
                let _ = el.set_attribute("data-zooming", "");
            }
            let _ = style.set_property(
                "transform",
                &format!(
                    "translate({:.2}px,{:.2}px) scale({:.5})",
                    v.tx - d.tx * s,
                    v.ty - d.ty * s,
                    s
                ),
            );
        }
        if let (Some((at, _)), Some(c)) = (
            &self.live.borrow().canvas_at,
            self.canvas.cast::<HtmlCanvasElement>(),
        ) {
            let _ = c
                .style()
                .set_property("transform", &overview::transform(at, v.tx, v.ty, v.k));
        }
        if let Some(r) = self.minimap.cast::<Element>() {
            let _ = r.set_attribute("transform", &minimap_rect(&v));
        }
        // Its own handle on the view, without this timer (no reference cycle).
        let mover = Mover {
            settle: Rc::default(),
            ..self.clone()
        };
        let done = Timeout::new(SETTLE_MS, move || {
            let v = mover.view();
            if mover.live.borrow().zooming {
                mover.show(v);
            }
        });
        // The timer of the step before is cancelled as it is dropped.
        *self.settle.borrow_mut() = Some(done);
    }

    /// Whether a zoom gesture is under way (its steps not drawn yet).
    fn zooming(&self) -> bool {
        self.live.borrow().zooming
    }

    fn cancel_settle(&self) {
        self.settle.borrow_mut().take();
    }

    /// Forgets what is drawn (a new layout) and shows `v`.
    fn reset(&self, v: View) {
        self.live.borrow_mut().frame = Frame::NONE;
        self.show(v);
    }
}

/// The `<g>` transform of a view.
fn transform(v: &View) -> String {
    format!("translate({:.2},{:.2}) scale({:.4})", v.tx, v.ty, v.k)
}

/// The part of the layout in view: x0, y0, x1, y1 in layout coordinates.
fn in_view(v: &View) -> (f64, f64, f64, f64) {
    let (x0, y0) = (-v.tx / v.k, -v.ty / v.k);
    (x0, y0, x0 + v.w / v.k, y0 + v.h / v.k)
}

/// The minimap's viewport rectangle (a unit square scaled to the view, in layout coordinates).
fn minimap_rect(v: &View) -> String {
    let (x0, y0, x1, y1) = in_view(v);
    format!(
        "translate({x0:.1},{y0:.1}) scale({:.2},{:.2})",
        x1 - x0,
        y1 - y0
    )
}

/// The frame `v` needs when `drawn` is on screen, or `None` when `drawn` will do: a window a
/// third of a viewport larger than the view on each side (so that panning draws again only every
/// third of a viewport), at the level of detail of the zoom and of how many nodes are in view.
/// The level changes with some hysteresis (it is not drawn anew for a step back and forth across
/// a threshold), and not at all while `keep` (a drag under way). A window far larger than the
/// view (after zooming in) is drawn again tighter, unless `keep`.
fn needed_frame(v: &View, l: &Layout, drawn: Frame, keep: bool, nw: f64, nh: f64) -> Option<Frame> {
    let margin = 40.0;
    let (x0, y0, x1, y1) = in_view(v);
    let (x0, y0, x1, y1) = (x0 - margin, y0 - margin, x1 + margin, y1 + margin);
    let was = (drawn != Frame::NONE).then_some(drawn.detail);
    let detail = match was {
        Some(d) if keep => d,
        _ => detail_for(v.k, was, || {
            l.positions
                .iter()
                .filter(|p| p.x + nw >= x0 && p.x <= x1 && p.y + nh >= y0 && p.y <= y1)
                .count()
        }),
    };
    let oversized = || (drawn.x1 - drawn.x0) * (drawn.y1 - drawn.y0) > 9.0 * (x1 - x0) * (y1 - y0);
    if was == Some(detail)
        && (detail == Detail::Overview
            || (drawn.contains(x0, y0, x1, y1) && (keep || !oversized())))
    {
        return None;
    }
    let (mx, my) = ((x1 - x0) / 3.0, (y1 - y0) / 3.0);
    Some(Frame {
        x0: x0 - mx,
        y0: y0 - my,
        x1: x1 + mx,
        y1: y1 + my,
        detail,
    })
}

/// The level of detail at zoom `k` with `in_view()` nodes in view, when `was` is drawn: labels
/// from [`LABEL_K`] (kept down to 0.9 of it), the overview above [`OVERVIEW_NODES`] in view
/// (kept down to 0.8 of them).
fn detail_for(k: f64, was: Option<Detail>, in_view: impl FnOnce() -> usize) -> Detail {
    let labels = if was == Some(Detail::Labels) {
        LABEL_K * 0.9
    } else {
        LABEL_K
    };
    if k >= labels {
        return Detail::Labels;
    }
    let most = if was == Some(Detail::Overview) {
        OVERVIEW_NODES * 4 / 5
    } else {
        OVERVIEW_NODES
    };
    if in_view() > most {
        Detail::Overview
    } else {
        Detail::Boxes
    }
}

#[function_component]
pub fn LineageGraph(props: &LineageGraphProps) -> Html {
    // The graph's box (pointer and wheel events, its size and place); the `<svg>` in it moves.
    let stage_ref = use_node_ref();
    let picture = use_node_ref();
    let cfg = layout::Config::default();
    let (nw, nh) = (cfg.node_width, cfg.node_height);
    let live = use_mut_ref(|| Live {
        view: View {
            tx: 20.0,
            ty: 20.0,
            k: 1.0,
            w: 800.0,
            h: 500.0,
        },
        frame: Frame::NONE,
        layout: None,
        pointers: Vec::new(),
        gesture: None,
        origin: (0.0, 0.0),
        drawn: None,
        zooming: false,
        scene: None,
        canvas_at: None,
    });
    live.borrow_mut().layout = props.layout.clone();
    let frame_ref = use_node_ref();
    let mover = Mover {
        live: live.clone(),
        viewport: use_node_ref(),
        minimap: use_node_ref(),
        redraw: use_force_update(),
        svg: picture.clone(),
        canvas: use_node_ref(),
        colours: frame_ref.clone(),
        settle: use_mut_ref(|| None),
        nw,
        nh,
    };
    let dragged = use_memo((), |_| Dragged::default());
    let query = use_state(String::new);

    // Fit the drawing when a new layout arrives; when that would be too small to read, start
    // at a readable zoom on the first failed node (problem 1's root) and its neighbours instead.
    {
        let mover = mover.clone();
        let stage_ref = stage_ref.clone();
        let view = props.view.clone();
        use_effect_with(props.layout.clone(), move |layout| {
            if let (Some(l), Some(el)) = (layout, stage_ref.cast::<Element>()) {
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
                let narrow = v.w < NARROW;
                let least = if narrow { READABLE_K } else { LABEL_K };
                if let (true, Some(p)) = (v.k < least, failed) {
                    if narrow {
                        // The root and the level after it, across the phone's width.
                        let pad = 16.0;
                        v.k =
                            ((v.w - 2.0 * pad) / (2.0 * nw + cfg.layer_gap)).clamp(READABLE_K, 0.8);
                        v.tx = pad - p.x * v.k;
                    } else {
                        v.k = 0.8;
                        v.tx = v.w / 4.0 - p.x * v.k;
                    }
                    v.ty = v.h / 2.0 - (p.y + nh / 2.0) * v.k;
                }
                mover.reset(v);
            }
        });
    }
    // Bring a selected node into view when it is off screen.
    {
        let mover = mover.clone();
        use_effect_with(
            (props.selected, props.layout.clone()),
            move |(sel, layout)| {
                if let (Some(n), Some(l)) = (sel, layout) {
                    if let Some(p) = l.positions.iter().find(|p| p.node == *n) {
                        let v = mover.view();
                        let (sx, sy) = (p.x * v.k + v.tx, p.y * v.k + v.ty);
                        if sx < 0.0 || sy < 0.0 || sx + nw * v.k > v.w || sy > v.h - nh * v.k {
                            let k = v.k.max(0.6);
                            mover.show(View {
                                k,
                                tx: v.w / 2.0 - (p.x + nw / 2.0) * k,
                                ty: v.h / 2.0 - (p.y + nh / 2.0) * k,
                                ..v
                            });
                        }
                    }
                }
            },
        );
    }
    // Wheel zoom needs a non-passive native listener to keep the page from scrolling. The graph's
    // place on the page is read when a zoom starts, not at each step (that would force a layout).
    // A resize of the window changes the view's size: what is drawn follows.
    {
        let mover = mover.clone();
        let stage_ref = stage_ref.clone();
        use_effect_with((), move |_| {
            let el = stage_ref.cast::<Element>();
            let wheel = el.as_ref().map(|el| {
                let mover = mover.clone();
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(el, "wheel", options, move |e| {
                    let e: &WheelEvent = e.unchecked_ref();
                    e.prevent_default();
                    if !mover.zooming() {
                        let Some(target) = e
                            .current_target()
                            .and_then(|t| t.dyn_into::<Element>().ok())
                        else {
                            return;
                        };
                        let rect = target.get_bounding_client_rect();
                        mover.live.borrow_mut().origin = (rect.left(), rect.top());
                    }
                    let origin = mover.live.borrow().origin;
                    let (mx, my) = (
                        f64::from(e.client_x()) - origin.0,
                        f64::from(e.client_y()) - origin.1,
                    );
                    let v = mover.view();
                    mover.zoom(zoom_at(v, (-e.delta_y() * 0.0015).exp(), mx, my));
                })
            });
            let window = web_sys::window();
            let resize = window.as_ref().map(|w| {
                let mover = mover.clone();
                let el = el.clone();
                EventListener::new(w, "resize", move |_| {
                    let Some(r) = el.as_ref().map(|el| el.get_bounding_client_rect()) else {
                        return;
                    };
                    let v = mover.view();
                    let (w, h) = (r.width().max(100.0), r.height().max(100.0));
                    if (w, h) != (v.w, v.h) {
                        mover.show(View { w, h, ..v });
                    }
                })
            });
            let theme = window
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|dark| {
                    let mover = mover.clone();
                    EventListener::new(&dark, "change", move |_| mover.repaint_canvas())
                });
            move || {
                mover.cancel_settle();
                drop((wheel, resize, theme));
            }
        });
    }

    let v = &props.view;
    // Pointers: one drags the view, two pinch-zoom it (about their midpoint, following it).
    // Pointer positions are taken relative to the graph (yew delegates events: their
    // currentTarget is not it).
    let origin = {
        let stage_ref = stage_ref.clone();
        move || {
            stage_ref
                .cast::<Element>()
                .map(|el| el.get_bounding_client_rect())
                .map(|r| (r.left(), r.top()))
                .unwrap_or_default()
        }
    };
    let on_pointer_down = {
        let mover = mover.clone();
        let dragged = dragged.clone();
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() == "mouse" && e.button() != 0 {
                return;
            }
            let mut live = mover.live.borrow_mut();
            if live.pointers.is_empty() {
                dragged.0.set(false);
                live.origin = origin();
            }
            let (x, y) = (
                f64::from(e.client_x()) - live.origin.0,
                f64::from(e.client_y()) - live.origin.1,
            );
            live.pointers.retain(|p| p.0 != e.pointer_id());
            live.pointers.push((e.pointer_id(), x, y));
            let v0 = live.view;
            live.gesture = match live.pointers.as_slice() {
                [_] => Some(Gesture::Drag {
                    x0: x,
                    y0: y,
                    v0,
                    moved: false,
                }),
                [a, b, ..] => Some(Gesture::Pinch {
                    d0: distance(a, b).max(1.0),
                    mx0: (a.1 + b.1) / 2.0,
                    my0: (a.2 + b.2) / 2.0,
                    v0,
                }),
                [] => None,
            };
        })
    };
    let on_pointer_move = {
        let mover = mover.clone();
        let dragged = dragged.clone();
        let stage_ref = stage_ref.clone();
        Callback::from(move |e: PointerEvent| {
            let mut live = mover.live.borrow_mut();
            let (x, y) = (
                f64::from(e.client_x()) - live.origin.0,
                f64::from(e.client_y()) - live.origin.1,
            );
            let Some(p) = live.pointers.iter_mut().find(|p| p.0 == e.pointer_id()) else {
                return;
            };
            (p.1, p.2) = (x, y);
            let two = match live.pointers.as_slice() {
                [a, b, ..] => Some((*a, *b)),
                _ => None,
            };
            let pinch = matches!(live.gesture, Some(Gesture::Pinch { .. }));
            let next = match live.gesture.as_mut() {
                Some(Gesture::Drag { x0, y0, v0, moved }) => {
                    let (dx, dy) = (x - *x0, y - *y0);
                    if !*moved && dx.abs() + dy.abs() < 4.0 {
                        return;
                    }
                    if !*moved {
                        // From here on the pointer's moves come here even off the graph.
                        if let Some(el) = stage_ref.cast::<Element>() {
                            let _ = el.set_pointer_capture(e.pointer_id());
                        }
                    }
                    *moved = true;
                    View {
                        tx: v0.tx + dx,
                        ty: v0.ty + dy,
                        ..*v0
                    }
                }
                Some(Gesture::Pinch { d0, mx0, my0, v0 }) => {
                    let Some((a, b)) = two else {
                        return;
                    };
                    let k = (v0.k * distance(&a, &b) / *d0).clamp(MIN_K, MAX_K);
                    let (mx, my) = ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0);
                    // The layout point under the pinch's first midpoint stays under its midpoint.
                    let (lx, ly) = ((*mx0 - v0.tx) / v0.k, (*my0 - v0.ty) / v0.k);
                    View {
                        tx: mx - lx * k,
                        ty: my - ly * k,
                        k,
                        ..*v0
                    }
                }
                None => return,
            };
            drop(live);
            dragged.0.set(true);
            if pinch {
                mover.zoom(next);
            } else {
                mover.pan(next);
            }
        })
    };
    let on_pointer_up = {
        let mover = mover.clone();
        Callback::from(move |e: PointerEvent| {
            let mut live = mover.live.borrow_mut();
            live.pointers.retain(|p| p.0 != e.pointer_id());
            let v0 = live.view;
            let was = live.gesture;
            // A pinch that loses a finger goes on as a drag of the other one, from where it is.
            live.gesture = match (was, live.pointers.as_slice()) {
                (Some(Gesture::Pinch { .. }), [p]) => Some(Gesture::Drag {
                    x0: p.1,
                    y0: p.2,
                    v0,
                    moved: true,
                }),
                _ => None,
            };
            // The pinch or drag is over: drawn at its scale, at its level of detail.
            let over = matches!(
                was,
                Some(Gesture::Pinch { .. } | Gesture::Drag { moved: true, .. })
            );
            drop(live);
            if over {
                mover.show(v0);
            }
        })
    };
    let on_background_click = {
        let dragged = dragged.clone();
        let on_select = props.on_select.clone();
        let mover = mover.clone();
        Callback::from(move |e: MouseEvent| {
            // A click on a box of the overview's canvas is not a click on the background.
            let on_box = {
                let live = mover.live.borrow();
                let (v, (ox, oy)) = (live.view, live.origin);
                let (x, y) = (
                    (f64::from(e.client_x()) - ox - v.tx) / v.k,
                    (f64::from(e.client_y()) - oy - v.ty) / v.k,
                );
                live.canvas_at.is_some()
                    && live.layout.as_ref().is_some_and(|l| {
                        l.positions
                            .iter()
                            .any(|p| x >= p.x && x <= p.x + nw && y >= p.y && y <= p.y + nh)
                    })
            };
            if !dragged.0.get() && !on_box {
                on_select.emit(None);
            }
        })
    };
    let on_key = {
        let mover = mover.clone();
        let layout = props.layout.clone();
        let stage_ref = stage_ref.clone();
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            let v = mover.view();
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
                "+" | "=" | "-" | "_" => {
                    // Held down, a key repeats: a zoom gesture like the wheel's.
                    let factor = if matches!(e.key().as_str(), "+" | "=") {
                        1.25
                    } else {
                        0.8
                    };
                    e.prevent_default();
                    mover.zoom(zoom_at(v, factor, v.w / 2.0, v.h / 2.0));
                    return;
                }
                "0" => match (&layout, stage_ref.cast::<Element>()) {
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
            mover.show(next);
        })
    };
    let zoom_button = |factor: f64| {
        let mover = mover.clone();
        Callback::from(move |_: MouseEvent| {
            let v = mover.view();
            mover.show(zoom_at(v, factor, v.w / 2.0, v.h / 2.0))
        })
    };
    let on_fit = {
        let mover = mover.clone();
        let layout = props.layout.clone();
        let stage_ref = stage_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(l), Some(el)) = (&layout, stage_ref.cast::<Element>()) {
                mover.show(fit(l, &el));
            }
        })
    };
    let on_minimap = {
        let mover = mover.clone();
        Callback::from(move |(x, y): (f64, f64)| {
            let v = mover.view();
            mover.show(View {
                tx: v.w / 2.0 - x * v.k,
                ty: v.h / 2.0 - y * v.k,
                ..v
            });
        })
    };

    let palette = {
        let frame_ref = frame_ref.clone();
        Callback::from(move |()| {
            frame_ref
                .cast::<Element>()
                .map(|el| palette_of(&el))
                .unwrap_or_default()
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

    // The edges' end points: computed once per layout, not per frame.
    let geometry = use_memo(
        (
            props.layout.clone(),
            props.shown.clone(),
            props.view.clone(),
        ),
        move |(layout, shown, view)| match layout {
            Some(l) => graph_layer::geometry(l, view, shown, nw, nh),
            None => Vec::new(),
        },
    );
    // The overview's canvas: what it shows, made once per layout, highlight and selection (and
    // drawn again when that changes while it is shown).
    let scene = use_memo(
        (
            geometry.clone(),
            props.layout.clone(),
            props.view.clone(),
            props.highlight.clone(),
            props.selected,
        ),
        move |(geometry, layout, view, highlight, selected)| {
            let scene = match layout {
                Some(l) => Scene::new(l, view, geometry, highlight.as_deref(), *selected, nw, nh),
                None => Scene::default(),
            };
            Rc::new(scene)
        },
    );
    live.borrow_mut().scene = Some((*scene).clone());
    {
        let mover = mover.clone();
        // By address: a new scene is a new allocation.
        use_effect_with(Rc::as_ptr(&*scene) as usize, move |_| {
            mover.refresh_canvas()
        });
    }
    let (t, drawn, frame) = {
        let live = live.borrow();
        (live.view, live.drawn.unwrap_or(live.view), live.frame)
    };
    let layer = props.layout.as_ref().map(|l| {
        html! {
            <GraphLayer view={props.view.clone()} layout={l.clone()} geometry={Shared(geometry.clone())}
                        frame={frame} selected={props.selected} highlight={props.highlight.clone()}
                        on_select={props.on_select.clone()} dragged={(*dragged).clone()}
                        node_width={nw} node_height={nh} />
        }
    });
    // The minimap, when the whole graph does not fit readably in the view.
    let minimap = props.layout.as_ref().filter(|l| {
        let k = ((t.w - 48.0) / l.width.max(1.0)).min((t.h - 48.0) / l.height.max(1.0));
        k < READABLE_K
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
                <GraphDownloads view={props.view.clone()} layout={props.layout.clone()}
                                highlight={props.highlight.clone()} {palette} />
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
                <div ref={stage_ref} class="graph-stage"
                     onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                     onpointerup={on_pointer_up.clone()} onpointercancel={on_pointer_up} onclick={on_background_click}>
                    <canvas ref={mover.canvas.clone()} class="graph-overview" hidden=true aria-hidden="true"></canvas>
                    <svg ref={picture} class={classes!("graph-svg", props.highlight.is_some().then_some("dimmed"))}
                         tabindex="0" role="application"
                         aria-label="Lineage: arrow keys pan, + and − zoom, 0 fits, Tab moves between nodes"
                         onkeydown={on_key}>
                        <g ref={mover.viewport.clone()} class="viewport" transform={transform(&drawn)}>{ layer }</g>
                    </svg>
                </div>
                if let Some(l) = minimap {
                    <Minimap view={props.view.clone()} layout={l.clone()} viewport_ref={mover.minimap.clone()}
                             at={minimap_rect(&t)} on_center={on_minimap} node_width={nw} node_height={nh} small={t.w < NARROW} />
                }
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

/// The distance between two pointers.
fn distance(a: &(i32, f64, f64), b: &(i32, f64, f64)) -> f64 {
    (a.1 - b.1).hypot(a.2 - b.2)
}
