//! Lineage → positions (reserved for the lineage graph's layered layout; see issue 4).
