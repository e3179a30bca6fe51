//! Node kind and field ids the index and the type engine use, resolved once: walks compare
//! `kind_id()` numbers, never kind strings (docs/architecture.md, Conventions); a test asserts
//! each is known to the grammar.

use crate::syntax::{field_id, kind_id};
use std::sync::OnceLock;

macro_rules! name_of {
    ($k:ident) => {
        stringify!($k)
    };
    ($k:ident $s:literal) => {
        $s
    };
}

macro_rules! ids {
    (kinds { $($k:ident $(= $ks:literal)?),* $(,)? } fields { $($f:ident = $fs:literal),* $(,)? } tokens { $($t:ident = $ts:literal),* $(,)? }) => {
        /// Kind ids (`u16`), named as in the grammar; field ids (`u16`), named `f_` and the
        /// field's name; the ids of the few anonymous tokens compared with.
        #[allow(non_snake_case)]
        #[derive(Debug)]
        pub struct Kinds {
            $(pub $k: u16,)*
            $(pub $f: u16,)*
            $(pub $t: u16,)*
        }

        impl Kinds {
            fn resolve() -> Kinds {
                Kinds {
                    $($k: kind_id(name_of!($k $($ks)?)),)*
                    $($f: field_id($fs).unwrap_or(0),)*
                    $($t: token_id($ts),)*
                }
            }

            /// Names that the grammar does not know (must be empty; tested).
            pub fn unknown(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$k == 0 { out.push(name_of!($k $($ks)?)); })*
                $(if self.$f == 0 { out.push($fs); })*
                $(if self.$t == 0 { out.push($ts); })*
                out
            }
        }
    };
}

ids! {
    kinds {
        source_file, package_clause, import_declaration, import_spec, import_spec_list,
        function_declaration, method_declaration, func_literal, type_declaration, type_spec,
        type_alias, var_declaration, var_spec, var_spec_list, const_declaration, const_spec,
        parameter_list, parameter_declaration, variadic_parameter_declaration,
        type_parameter_list, type_parameter_declaration,
        field_declaration_list, field_declaration, method_elem, type_elem,
        type_identifier, qualified_type, pointer_type, slice_type, array_type,
        implicit_length_array_type, map_type, channel_type, function_type, generic_type,
        struct_type, interface_type, parenthesized_type, negated_type,
        identifier, field_identifier, package_identifier, blank_identifier, dot, label_name,
        block, statement_list, short_var_declaration, assignment_statement, expression_list,
        expression_statement, go_statement, defer_statement, return_statement, send_statement,
        break_statement, continue_statement, goto_statement, fallthrough_statement,
        if_statement, for_statement, range_clause, for_clause, expression_switch_statement,
        type_switch_statement, expression_case, type_case, default_case, select_statement,
        communication_case, receive_statement, labeled_statement, inc_statement, dec_statement,
        call_expression, selector_expression, index_expression, slice_expression,
        type_assertion_expression, type_conversion_expression, type_instantiation_expression,
        composite_literal, unary_expression, binary_expression, parenthesized_expression,
        argument_list, literal_value, keyed_element, literal_element, variadic_argument,
        int_literal, float_literal, imaginary_literal, rune_literal,
        interpreted_string_literal, raw_string_literal, true_ = "true", false_ = "false",
        nil, iota, type_arguments, comment, escape_sequence,
    }
    fields {
        f_name = "name", f_type = "type", f_parameters = "parameters", f_result = "result",
        f_receiver = "receiver", f_body = "body", f_left = "left", f_right = "right",
        f_operand = "operand", f_function = "function", f_arguments = "arguments",
        f_field = "field", f_value = "value", f_key = "key", f_element = "element",
        f_package = "package", f_path = "path", f_alias = "alias", f_initializer = "initializer",
        f_type_parameters = "type_parameters", f_operator = "operator", f_index = "index",
        f_consequence = "consequence", f_alternative = "alternative", f_condition = "condition",
        f_type_arguments = "type_arguments", f_update = "update",
        f_communication = "communication", f_label = "label", f_channel = "channel",
    }
    tokens {
        and_and = "&&", or_or = "||", define = ":=", assign = "=", star = "*",
    }
}

/// The id of an anonymous token (`&&`, `:=`); 0 when the grammar has none.
fn token_id(token: &str) -> u16 {
    crate::syntax::language().id_for_node_kind(token, false)
}

/// Whether a kind is a statement (`..._statement`) or a declaration (`..._declaration`), by the
/// grammar's names, read once.
pub fn statement_or_declaration(kind: u16) -> bool {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let language = crate::syntax::language();
        (0..language.node_kind_count() as u16)
            .map(|id| {
                language.node_kind_is_named(id)
                    && language.node_kind_for_id(id).is_some_and(|name| {
                        name.ends_with("_statement") || name.ends_with("_declaration")
                    })
            })
            .collect()
    });
    table.get(kind as usize).copied().unwrap_or(false)
}

/// The ids, resolved on first use.
pub fn k() -> &'static Kinds {
    static K: OnceLock<Kinds> = OnceLock::new();
    K.get_or_init(Kinds::resolve)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_and_field_is_known_to_the_grammar() {
        assert!(
            super::k().unknown().is_empty(),
            "{:?}",
            super::k().unknown()
        );
    }
}
