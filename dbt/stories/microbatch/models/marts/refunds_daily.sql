{{ config(
    materialized='incremental',
    incremental_strategy='microbatch',
    event_time='refunded_at',
    begin='2024-01-01',
    batch_size='day'
) }}

select
    refund_id,
    cast(order_id as integer) as order_id,
    cast(refunded_at as timestamp) as refunded_at,
    cast(amount as integer) as amount
from {{ source('raw', 'refunds') }}
