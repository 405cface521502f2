//! The fixed-depth prefix tree of Drain (He et al., ICWS 2017, §III-B and §III-C).
//!
//! The root's children are keyed by a line's token count; below them, `layers` levels
//! are keyed by the line's leading tokens, one token per level; the node reached at the
//! bottom is a leaf holding a short list of clusters, which the similarity search then
//! scans. Following the paper (§III-C, "tokens containing digits … match the special
//! internal node `*`") and drain3, a token with a digit, or the wildcard `<*>` left by
//! masking, goes to the node's wildcard child; a node holding `max_children - 1`
//! literal children sends any further new token to the wildcard child too, so a node has
//! at most `max_children` children. As in drain3, the last token of a line never keys
//! the tree (a one-token line sits at its token-count node).
//!
//! Nodes live in an arena (`Vec<Node>`, addressed by index) and are never removed: their
//! number is bounded by the distinct token counts times `max_children` to the power of
//! `layers`, independent of the number of lines.

use crate::hash::FxHashMap;
use crate::mask::WILDCARD;

/// Index of a node in the arena.
pub(crate) type NodeId = usize;

#[derive(Default)]
pub(crate) struct Node {
    literal: FxHashMap<Box<str>, NodeId>,
    wildcard: Option<NodeId>,
    /// Clusters held by this node when it is a leaf, oldest first.
    pub(crate) clusters: Vec<usize>,
}

impl Node {
    pub(crate) fn children(&self) -> usize {
        self.literal.len() + usize::from(self.wildcard.is_some())
    }
}

pub(crate) struct Tree {
    by_token_count: FxHashMap<usize, NodeId>,
    nodes: Vec<Node>,
    layers: usize,
    max_children: usize,
}

/// Whether a token routes to the wildcard child (paper §III-C).
fn is_variable(token: &str) -> bool {
    token == WILDCARD || token.bytes().any(|b| b.is_ascii_digit())
}

impl Tree {
    pub(crate) fn new(layers: usize, max_children: usize) -> Self {
        Self {
            by_token_count: FxHashMap::default(),
            nodes: Vec::new(),
            layers,
            max_children: max_children.max(1),
        }
    }

    fn key_tokens<'t, 'a>(&self, tokens: &'t [&'a str]) -> &'t [&'a str] {
        let keyed = self.layers.min(tokens.len().saturating_sub(1));
        &tokens[..keyed]
    }

    /// The leaf for `tokens`, without changing the tree; `None` when no leaf exists yet.
    pub(crate) fn search(&self, tokens: &[&str]) -> Option<NodeId> {
        let mut node = *self.by_token_count.get(&tokens.len())?;
        for token in self.key_tokens(tokens) {
            let current = &self.nodes[node];
            node = if is_variable(token) {
                current.wildcard?
            } else {
                current.literal.get(*token).copied().or(current.wildcard)?
            };
        }
        Some(node)
    }

    /// The leaf a new cluster for `tokens` belongs in, creating nodes on the way.
    pub(crate) fn insert(&mut self, tokens: &[&str]) -> NodeId {
        let mut node = match self.by_token_count.get(&tokens.len()) {
            Some(&node) => node,
            None => {
                let node = self.push_node();
                self.by_token_count.insert(tokens.len(), node);
                node
            }
        };
        let keyed = self.layers.min(tokens.len().saturating_sub(1));
        for token in &tokens[..keyed] {
            node = self.child(node, token);
        }
        node
    }

    fn child(&mut self, node: NodeId, token: &str) -> NodeId {
        let current = &self.nodes[node];
        if !is_variable(token) {
            if let Some(&child) = current.literal.get(token) {
                return child;
            }
            // Keep one slot for the wildcard child.
            if current.literal.len() + 1 < self.max_children {
                let child = self.push_node();
                self.nodes[node].literal.insert(token.into(), child);
                return child;
            }
        }
        let wildcard = current.wildcard;
        match wildcard {
            Some(child) => child,
            None => {
                let child = self.push_node();
                self.nodes[node].wildcard = Some(child);
                child
            }
        }
    }

    fn push_node(&mut self) -> NodeId {
        self.nodes.push(Node::default());
        self.nodes.len() - 1
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    pub(crate) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id]
    }

    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }
}

#[cfg(test)]
mod tests {
    use super::Tree;

    #[test]
    fn keys_on_count_then_leading_tokens() {
        let mut tree = Tree::new(1, 100);
        let a = tree.insert(&["Receiving", "block", "<*>"]);
        let b = tree.insert(&["Received", "block", "<*>"]);
        let c = tree.insert(&["Receiving", "block"]);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(tree.search(&["Receiving", "x", "y"]), Some(a));
        assert_eq!(tree.search(&["Deleting", "x", "y"]), None);
    }

    #[test]
    fn digits_and_full_nodes_go_to_the_wildcard_child() {
        let mut tree = Tree::new(1, 3);
        let first = tree.insert(&["a", "x"]);
        let second = tree.insert(&["b", "x"]);
        let digit = tree.insert(&["c1", "x"]);
        let overflow = tree.insert(&["d", "x"]);
        assert_ne!(first, second);
        assert_eq!(digit, overflow);
        assert_eq!(tree.search(&["e", "x"]), Some(overflow));
        assert!(tree.nodes().iter().all(|n| n.children() <= 3));
    }
}
