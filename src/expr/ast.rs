//! The expression AST shared by both surface syntaxes: JSONLogic ([`super::jsonlogic`]) and the text syntax
//! ([`super::text`]) parse to it, and [`super::compile`] turns it into a program. It is JSONLogic-shaped on
//! purpose (an operator name and its arguments), so any AST prints back to JSONLogic and re-parses to itself.

use crate::value::Value;

/// A node with the byte offset where it starts in its source text (JSON or text syntax).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A literal value (scalars, `{}`, and `preserve`d data).
    Lit(Value),
    /// An array whose elements are expressions.
    List(Vec<Node>),
    /// An operation. `bare` is true when JSONLogic gave the arguments as one non-array value
    /// (`{"var": "a"}`), which some operators reject.
    Op { name: String, args: Vec<Node>, bare: bool },
}

impl Node {
    pub fn lit(v: Value, pos: u32) -> Node {
        Node {
            kind: NodeKind::Lit(v),
            pos,
        }
    }

    pub fn op(name: &str, args: Vec<Node>, pos: u32) -> Node {
        Node {
            kind: NodeKind::Op {
                name: name.to_string(),
                args,
                bare: false,
            },
            pos,
        }
    }

    /// The same tree with every position set to 0 (to compare trees from different sources).
    pub fn without_pos(&self) -> Node {
        let kind = match &self.kind {
            NodeKind::Lit(v) => NodeKind::Lit(v.clone()),
            NodeKind::List(items) => NodeKind::List(items.iter().map(Node::without_pos).collect()),
            NodeKind::Op { name, args, bare } => NodeKind::Op {
                name: name.clone(),
                args: args.iter().map(Node::without_pos).collect(),
                bare: *bare,
            },
        };
        Node { kind, pos: 0 }
    }

    /// How deep the tree is (a leaf is 1).
    pub fn depth(&self) -> usize {
        match &self.kind {
            NodeKind::Lit(_) => 1,
            NodeKind::List(items) | NodeKind::Op { args: items, .. } => {
                1 + items.iter().map(Node::depth).max().unwrap_or(0)
            }
        }
    }
}
