select
    refund_id,
    cast(order_id as integer) as order_id,
    cast(refunded_at as date) as refunded_at,
    {{ cents_to_dollars('cast(amount as integer)') }} as refund_amount
from {{ source('raw', 'refunds') }}
