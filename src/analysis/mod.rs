//! What several rules share: node kind ids resolved once, a control-flow graph per function
//! body (`cfg`), the lock model of a package (`locks`), and local types and call resolution
//! (`types`).

pub mod cfg;
pub mod concurrency;
pub mod locks;
pub mod taint;
pub mod types;

use crate::syntax::{field_id, kind_id};
use std::sync::OnceLock;

/// Node kind and field ids the analyses compare against, resolved once from the grammar (a
/// misspelled kind would resolve to 0: `every_kind_and_field_is_in_the_grammar` checks them).
#[derive(Debug)]
pub struct Kinds {
    pub source_file: u16,
    pub function_declaration: u16,
    pub method_declaration: u16,
    pub func_literal: u16,
    pub block: u16,
    pub statement_list: u16,
    pub expression_statement: u16,
    pub assignment_statement: u16,
    pub short_var_declaration: u16,
    pub var_declaration: u16,
    pub var_spec: u16,
    pub var_spec_list: u16,
    pub if_statement: u16,
    pub for_statement: u16,
    pub for_clause: u16,
    pub range_clause: u16,
    pub expression_switch_statement: u16,
    pub type_switch_statement: u16,
    pub select_statement: u16,
    pub expression_case: u16,
    pub type_case: u16,
    pub default_case: u16,
    pub communication_case: u16,
    pub labeled_statement: u16,
    pub break_statement: u16,
    pub continue_statement: u16,
    pub goto_statement: u16,
    pub fallthrough_statement: u16,
    pub return_statement: u16,
    pub defer_statement: u16,
    pub go_statement: u16,
    pub send_statement: u16,
    pub call_expression: u16,
    pub selector_expression: u16,
    pub index_expression: u16,
    pub unary_expression: u16,
    pub binary_expression: u16,
    pub parenthesized_expression: u16,
    pub identifier: u16,
    pub field_identifier: u16,
    pub package_identifier: u16,
    pub label_name: u16,
    pub argument_list: u16,
    pub expression_list: u16,
    pub parameter_list: u16,
    pub parameter_declaration: u16,
    pub variadic_parameter_declaration: u16,
    pub composite_literal: u16,
    pub keyed_element: u16,
    pub literal_element: u16,
    pub literal_value: u16,
    pub import_spec: u16,
    pub type_spec: u16,
    pub type_declaration: u16,
    pub struct_type: u16,
    pub field_declaration: u16,
    pub pointer_type: u16,
    pub qualified_type: u16,
    pub type_identifier: u16,
    pub nil: u16,
    pub comment: u16,
    pub interpreted_string_literal: u16,
    pub raw_string_literal: u16,
    pub f_body: u16,
    pub f_condition: u16,
    pub f_consequence: u16,
    pub f_alternative: u16,
    pub f_initializer: u16,
    pub f_update: u16,
    pub f_value: u16,
    pub f_left: u16,
    pub f_right: u16,
    pub f_operand: u16,
    pub f_field: u16,
    pub f_function: u16,
    pub f_arguments: u16,
    pub f_name: u16,
    pub f_type: u16,
    pub f_parameters: u16,
    pub f_result: u16,
    pub f_receiver: u16,
    pub f_path: u16,
    pub f_operator: u16,
    pub f_communication: u16,
    pub f_label: u16,
    pub f_package: u16,
    pub f_alias: u16,
    pub f_channel: u16,
    pub f_index: u16,
}

fn field(name: &str) -> u16 {
    field_id(name).unwrap_or(0)
}

impl Kinds {
    fn resolve() -> Kinds {
        Kinds {
            source_file: kind_id("source_file"),
            function_declaration: kind_id("function_declaration"),
            method_declaration: kind_id("method_declaration"),
            func_literal: kind_id("func_literal"),
            block: kind_id("block"),
            statement_list: kind_id("statement_list"),
            expression_statement: kind_id("expression_statement"),
            assignment_statement: kind_id("assignment_statement"),
            short_var_declaration: kind_id("short_var_declaration"),
            var_declaration: kind_id("var_declaration"),
            var_spec: kind_id("var_spec"),
            var_spec_list: kind_id("var_spec_list"),
            if_statement: kind_id("if_statement"),
            for_statement: kind_id("for_statement"),
            for_clause: kind_id("for_clause"),
            range_clause: kind_id("range_clause"),
            expression_switch_statement: kind_id("expression_switch_statement"),
            type_switch_statement: kind_id("type_switch_statement"),
            select_statement: kind_id("select_statement"),
            expression_case: kind_id("expression_case"),
            type_case: kind_id("type_case"),
            default_case: kind_id("default_case"),
            communication_case: kind_id("communication_case"),
            labeled_statement: kind_id("labeled_statement"),
            break_statement: kind_id("break_statement"),
            continue_statement: kind_id("continue_statement"),
            goto_statement: kind_id("goto_statement"),
            fallthrough_statement: kind_id("fallthrough_statement"),
            return_statement: kind_id("return_statement"),
            defer_statement: kind_id("defer_statement"),
            go_statement: kind_id("go_statement"),
            send_statement: kind_id("send_statement"),
            call_expression: kind_id("call_expression"),
            selector_expression: kind_id("selector_expression"),
            index_expression: kind_id("index_expression"),
            unary_expression: kind_id("unary_expression"),
            binary_expression: kind_id("binary_expression"),
            parenthesized_expression: kind_id("parenthesized_expression"),
            identifier: kind_id("identifier"),
            field_identifier: kind_id("field_identifier"),
            package_identifier: kind_id("package_identifier"),
            label_name: kind_id("label_name"),
            argument_list: kind_id("argument_list"),
            expression_list: kind_id("expression_list"),
            parameter_list: kind_id("parameter_list"),
            parameter_declaration: kind_id("parameter_declaration"),
            variadic_parameter_declaration: kind_id("variadic_parameter_declaration"),
            composite_literal: kind_id("composite_literal"),
            keyed_element: kind_id("keyed_element"),
            literal_element: kind_id("literal_element"),
            literal_value: kind_id("literal_value"),
            import_spec: kind_id("import_spec"),
            type_spec: kind_id("type_spec"),
            type_declaration: kind_id("type_declaration"),
            struct_type: kind_id("struct_type"),
            field_declaration: kind_id("field_declaration"),
            pointer_type: kind_id("pointer_type"),
            qualified_type: kind_id("qualified_type"),
            type_identifier: kind_id("type_identifier"),
            nil: kind_id("nil"),
            comment: kind_id("comment"),
            interpreted_string_literal: kind_id("interpreted_string_literal"),
            raw_string_literal: kind_id("raw_string_literal"),
            f_body: field("body"),
            f_condition: field("condition"),
            f_consequence: field("consequence"),
            f_alternative: field("alternative"),
            f_initializer: field("initializer"),
            f_update: field("update"),
            f_value: field("value"),
            f_left: field("left"),
            f_right: field("right"),
            f_operand: field("operand"),
            f_field: field("field"),
            f_function: field("function"),
            f_arguments: field("arguments"),
            f_name: field("name"),
            f_type: field("type"),
            f_parameters: field("parameters"),
            f_result: field("result"),
            f_receiver: field("receiver"),
            f_path: field("path"),
            f_operator: field("operator"),
            f_communication: field("communication"),
            f_label: field("label"),
            f_package: field("package"),
            f_alias: field("alias"),
            f_channel: field("channel"),
            f_index: field("index"),
        }
    }
}

/// The resolved ids, shared by every analysis and rule.
impl Kinds {
    /// The operand and the field of a selector expression (`x.m`); `None` for any other node.
    pub fn selector<'t>(
        &self,
        n: crate::tree::Node<'t>,
    ) -> Option<(crate::tree::Node<'t>, crate::tree::Node<'t>)> {
        if n.kind_id() != self.selector_expression {
            return None;
        }
        Some((
            n.child_by_field_id(self.f_operand)?,
            n.child_by_field_id(self.f_field)?,
        ))
    }
}

pub fn kinds() -> &'static Kinds {
    static K: OnceLock<Kinds> = OnceLock::new();
    K.get_or_init(Kinds::resolve)
}

/// Whether `node` is a function declaration, method declaration or function literal.
pub fn is_function(k: &Kinds, kind: u16) -> bool {
    kind == k.function_declaration || kind == k.method_declaration || kind == k.func_literal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_declaration_is_in_the_grammar() {
        assert_ne!(crate::syntax::kind_id("type_declaration"), 0);
    }

    #[test]
    fn every_kind_and_field_is_in_the_grammar() {
        let dump = format!("{:?}", kinds());
        let zeros: Vec<&str> = dump
            .trim_start_matches("Kinds {")
            .trim_end_matches('}')
            .split(',')
            .map(str::trim)
            .filter(|kv| kv.ends_with(": 0"))
            .collect();
        assert!(zeros.is_empty(), "unknown kinds or fields: {zeros:?}");
    }
}
