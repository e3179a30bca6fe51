//! Node kind and field ids the index and the type engine use, resolved once (STYLE.md: compare
//! `kind_id()` numbers, never kind strings); a test asserts each is known to the grammar.

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
    (kinds { $($k:ident $(= $ks:literal)?),* $(,)? } fields { $($f:ident $(= $fs:literal)?),* $(,)? }) => {
        /// Kind ids (`u16`) and field ids (`u16`), named as in the grammar.
        #[allow(non_snake_case)]
        pub struct Kinds {
            $(pub $k: u16,)*
            $(pub $f: u16,)*
        }

        impl Kinds {
            fn resolve() -> Kinds {
                Kinds {
                    $($k: kind_id(name_of!($k $($ks)?)),)*
                    $($f: field_id(name_of!($f $($fs)?)).unwrap_or(0),)*
                }
            }

            /// Names that the grammar does not know (must be empty; tested).
            pub fn unknown(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$k == 0 { out.push(name_of!($k $($ks)?)); })*
                $(if self.$f == 0 { out.push(name_of!($f $($fs)?)); })*
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
        identifier, field_identifier, package_identifier, blank_identifier, dot,
        block, statement_list, short_var_declaration, assignment_statement, expression_list,
        expression_statement, go_statement, defer_statement, return_statement,
        if_statement, for_statement, range_clause, for_clause, expression_switch_statement,
        type_switch_statement, expression_case, type_case, default_case, select_statement,
        communication_case, receive_statement, labeled_statement,
        call_expression, selector_expression, index_expression, slice_expression,
        type_assertion_expression, type_conversion_expression, type_instantiation_expression,
        composite_literal, unary_expression, binary_expression, parenthesized_expression,
        argument_list, literal_value, keyed_element, literal_element, variadic_argument,
        int_literal, float_literal, imaginary_literal, rune_literal,
        interpreted_string_literal, raw_string_literal, true_ = "true", false_ = "false",
        nil, iota, type_arguments_node = "type_arguments", comment, escape_sequence,
    }
    fields {
        name, type_ = "type", parameters, result, receiver, body, left, right, operand, function,
        arguments, field, value, key, element, package, path, alias, initializer,
        type_parameters, operator, index, consequence, alternative, condition,
        type_arguments,
    }
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
