{% macro cents_to_dollars(column_name) -%}
    cast({{ column_name }} as numeric(16, 2)) / 100
{%- endmacro %}
