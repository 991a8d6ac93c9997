select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.status,
    orders.payment_count,
    orders.gross_amount,
    orders.refunded_amount,
    orders.net_amount,
    orders.order_date + 3 as promised_ship_date,
    shipments.carrier,
    shipments.shipped_at
from {{ ref('int_order_payments') }} as orders
left join {{ ref('stg_shipments') }} as shipments
    on shipments.order_id = orders.order_id
