//! The one table of node-kind, token and field ids that every walk compares with: walks compare
//! `kind_id()` numbers, never kind strings (docs/architecture.md, Conventions). The ids are
//! constants generated from the grammar's parser (`grammar/build.rs`): every named kind by its
//! name, every anonymous token as `t_` and the parser's name for it (`t_amp_amp` is `&&`), every
//! field as `f_` and its name. A test checks each against tree-sitter's own lookup by name.

pub use tree_sitter_go::kinds::{statement_or_declaration, Kinds, FIELDS, KINDS, NAMED, TOKENS};

/// The grammar's ids.
pub fn k() -> &'static Kinds {
    &KINDS
}

/// Sets of kinds that several walks ask about.
pub trait KindSets {
    /// `switch`, type `switch` and `select`: statements made of cases.
    fn is_switch(&self, kind: u16) -> bool;
    /// A case of a switch or a select, `default` included.
    fn is_case(&self, kind: u16) -> bool;
    /// `&&` or `||`.
    fn is_logical_operator(&self, kind: u16) -> bool;
}

impl KindSets for Kinds {
    fn is_switch(&self, kind: u16) -> bool {
        kind == self.expression_switch_statement
            || kind == self.type_switch_statement
            || kind == self.select_statement
    }

    fn is_case(&self, kind: u16) -> bool {
        kind == self.expression_case
            || kind == self.type_case
            || kind == self.default_case
            || kind == self.communication_case
    }

    fn is_logical_operator(&self, kind: u16) -> bool {
        kind == self.t_amp_amp || kind == self.t_pipe_pipe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::language;

    #[test]
    fn every_generated_id_is_the_one_tree_sitter_looks_up_by_name() {
        let language = language();
        for &(name, id) in NAMED {
            assert_eq!(language.id_for_node_kind(name, true), id, "kind {name}");
        }
        for &(name, id) in TOKENS {
            assert_eq!(language.id_for_node_kind(name, false), id, "token {name:?}");
        }
        for &(name, id) in FIELDS {
            assert_eq!(
                language.field_id_for_name(name).map(u16::from),
                Some(id),
                "field {name}"
            );
        }
        assert!(NAMED.len() > 100 && TOKENS.len() > 50 && FIELDS.len() > 20);
    }

    #[test]
    fn the_tables_name_what_the_walks_compare_with() {
        let k = k();
        assert_eq!(
            language().node_kind_for_id(k.for_statement),
            Some("for_statement")
        );
        assert_eq!(language().node_kind_for_id(k.t_amp_amp), Some("&&"));
        assert_eq!(language().field_name_for_id(k.f_body), Some("body"));
        assert!(statement_or_declaration(k.return_statement));
        assert!(statement_or_declaration(k.var_declaration));
        assert!(!statement_or_declaration(k.call_expression));
    }
}
