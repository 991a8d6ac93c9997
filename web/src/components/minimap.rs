//! The lineage graph's minimap: the whole layout small in a corner — failed, skipped and exposure
//! nodes in their colours, the rest faint, one path each — and the viewport as a rectangle that
//! the parent moves (through `viewport_ref`) as the view pans and zooms, without rendering this
//! component again. A click or drag on it centres the view there. It is a pointer shortcut only
//! (hidden from assistive technology): the keyboard pans, zooms and fits the graph itself.

use std::fmt::Write as _;

use dbt_triage::layout::Layout;
use dbt_triage::view::{NodeStatus, ProjectView};
use web_sys::Element;
use yew::prelude::*;

use crate::shared::Shared;

/// The minimap's largest size in CSS pixels, and on a phone.
const MAX: (f64, f64) = (180.0, 140.0);
const MAX_SMALL: (f64, f64) = (96.0, 80.0);

#[derive(Properties, PartialEq)]
pub struct MinimapProps {
    pub view: Shared<ProjectView>,
    pub layout: Shared<Layout>,
    /// The viewport rectangle, moved by the parent.
    pub viewport_ref: NodeRef,
    /// The rectangle's transform when drawn (the parent moves it from then on).
    pub at: AttrValue,
    /// Centre the view on this point, in layout coordinates.
    pub on_center: Callback<(f64, f64)>,
    pub node_width: f64,
    pub node_height: f64,
    /// Drawn smaller (on a phone).
    #[prop_or_default]
    pub small: bool,
}

/// The minimap's scale: layout units to CSS pixels.
fn scale(l: &Layout, small: bool) -> f64 {
    let (w, h) = if small { MAX_SMALL } else { MAX };
    (w / l.width.max(1.0)).min(h / l.height.max(1.0))
}

#[function_component]
pub fn Minimap(props: &MinimapProps) -> Html {
    let paths = use_memo(
        (props.view.clone(), props.layout.clone(), props.small),
        |(view, layout, small)| {
            // One path per colour: the boxes drawn at least a few minimap pixels tall.
            let s = scale(layout, *small);
            let (w, h) = (props.node_width, props.node_height.max(3.0 / s.max(1e-6)));
            let mut d: [String; 4] = Default::default();
            for p in &layout.positions {
                let Some(n) = view.nodes.get(p.node as usize) else {
                    continue;
                };
                let at = match n.status {
                    NodeStatus::Failed => 0,
                    NodeStatus::Skipped => 1,
                    _ if n.exposure.is_some() => 2,
                    _ => 3,
                };
                let _ = write!(d[at], "M{:.0},{:.0}h{w:.0}v{h:.0}h-{w:.0}z", p.x, p.y);
            }
            d.map(AttrValue::from)
        },
    );
    let l = &props.layout;
    let s = scale(l, props.small);
    // At least big enough to aim at, the layout centred in it.
    let (w, h) = ((l.width * s).max(48.0), (l.height * s).max(40.0));
    let (vw, vh) = (w / s, h / s);
    let (vx, vy) = ((l.width - vw) / 2.0, (l.height - vh) / 2.0);
    let dragging = use_mut_ref(|| false);
    let svg_ref = use_node_ref();
    // yew delegates events: their currentTarget is not the minimap.
    let at = {
        let svg_ref = svg_ref.clone();
        move |e: &PointerEvent| -> Option<(f64, f64)> {
            let el: Element = svg_ref.cast()?;
            // From the size it is drawn at, whatever the CSS made of it.
            let r = el.get_bounding_client_rect();
            Some((
                (f64::from(e.client_x()) - r.left()) * vw / r.width().max(1.0),
                (f64::from(e.client_y()) - r.top()) * vh / r.height().max(1.0),
            ))
        }
    };
    let on_down = {
        let dragging = dragging.clone();
        let on_center = props.on_center.clone();
        let at = at.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            e.stop_propagation();
            e.prevent_default();
            if let Some(p) = at(&e) {
                *dragging.borrow_mut() = true;
                if let Some(el) = svg_ref.cast::<Element>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
                on_center.emit(p);
            }
        })
    };
    let on_move = {
        let dragging = dragging.clone();
        let on_center = props.on_center.clone();
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                if let Some(p) = at(&e) {
                    on_center.emit(p);
                }
            }
        })
    };
    let on_up = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let [failed, skipped, exposures, rest] = &*paths;
    html! {
        <svg ref={svg_ref} class="minimap" aria-hidden="true" width={format!("{w:.0}")} height={format!("{h:.0}")}
             viewBox={format!("{vx:.0} {vy:.0} {vw:.0} {vh:.0}")}
             onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()} onpointercancel={on_up}>
            <title>{ "Overview of the whole graph: click or drag to move the view" }</title>
            <path class="mm-rest" d={rest.clone()} />
            <path class="mm-skipped" d={skipped.clone()} />
            <path class="mm-exposure" d={exposures.clone()} />
            <path class="mm-failed" d={failed.clone()} />
            <rect ref={props.viewport_ref.clone()} class="mm-view" width="1" height="1" transform={props.at.clone()} />
        </svg>
    }
}
