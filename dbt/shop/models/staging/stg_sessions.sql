select
    session_id,
    cast(customer_id as integer) as customer_id,
    cast(started_at as timestamp) as started_at,
    channel,
    cast(page_views as integer) as page_views
from {{ source('raw', 'sessions') }}
