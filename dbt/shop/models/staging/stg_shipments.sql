select
    shipment_id,
    cast(order_id as integer) as order_id,
    carrier,
    cast(shipped_at as date) as shipped_at
from {{ source('raw', 'shipments') }}
