//! Log clusters ("log groups" in He et al., ICWS 2017, §III-D/E): a template, a count,
//! and the bookkeeping that bounds memory.
//!
//! A template is a token list in which a variable position holds [`Token::Wildcard`].
//! Similarity follows the paper's *simSeq* (§III-D): the share of positions where the
//! template's token equals the line's token. As in drain3, a template wildcard does not
//! count as equal to an arbitrary token. A wildcard facing a `<*>` the masking step put
//! in the line is *neutral*: it neither counts as equal nor as a position, so the share
//! is taken over the other positions (a line of nothing but masked values facing an
//! all-wildcard template is a full match). Counting such positions as equal instead
//! (what drain3 does when it masks to named placeholders such as `<NUM>`) lets masked
//! headers (timestamps, counters, ids: several per line in most real logs) carry two
//! different messages over the threshold: in loghub's Spark sample `Got assigned task
//! <*>` and `Connecting to driver: <*>` share their date, `<*>` time, level and logger,
//! half the tokens. Neutral positions are compared on the evidence the message itself
//! gives.
//! Updating (§III-E) turns every position where the line disagrees into a wildcard.
//!
//! A cluster is either live (in a leaf, searchable, with a last-use tick) or evicted:
//! evicted clusters keep only their final template, joined into one string, so the
//! indices [`crate::Miner::add`] returned stay answerable.

use crate::hash::StableHasher;
use crate::mask::WILDCARD;
use crate::tree::NodeId;

/// One position of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A variable position, rendered `<*>`.
    Wildcard,
    /// A constant token.
    Literal(Box<str>),
}

impl Token {
    fn from_line(token: &str) -> Self {
        if token == WILDCARD {
            Self::Wildcard
        } else {
            Self::Literal(token.into())
        }
    }

    fn text(&self) -> &str {
        match self {
            Self::Wildcard => WILDCARD,
            Self::Literal(text) => text,
        }
    }
}

/// How well a line fits a template: positions equal, neutral positions (a template
/// wildcard facing a masked `<*>`) and wildcards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fit {
    pub(crate) equal: usize,
    pub(crate) neutral: usize,
    pub(crate) wildcards: usize,
    /// Positions compared (the line's length).
    pub(crate) len: usize,
}

impl Fit {
    /// *simSeq*: equal positions over the positions that are not neutral; 1 when every
    /// position is neutral (or the line is empty).
    pub(crate) fn similarity(&self) -> f64 {
        let (num, den) = self.fraction();
        num as f64 / den as f64
    }

    /// Whether `self` fits better than `other`: higher similarity, then more wildcards
    /// (the tie-break of drain3's `fast_match`, which prefers the more general
    /// template). Compared as fractions, so exact.
    pub(crate) fn better_than(&self, other: &Self) -> bool {
        let (num, den) = self.fraction();
        let (other_num, other_den) = other.fraction();
        let (lhs, rhs) = (num * other_den, other_num * den);
        lhs > rhs || (lhs == rhs && self.wildcards > other.wildcards)
    }

    /// [`Self::similarity`] as numerator and denominator, 0/0 read as 1/1.
    fn fraction(&self) -> (usize, usize) {
        match self.len - self.neutral {
            0 => (1, 1),
            counted => (self.equal, counted),
        }
    }
}

pub(crate) enum State {
    Live {
        tokens: Vec<Token>,
        leaf: NodeId,
        last_used: u64,
    },
    Evicted {
        template: Box<str>,
    },
}

pub(crate) struct Cluster {
    pub(crate) state: State,
    /// Records assigned to the cluster (continuation lines are not counted).
    pub(crate) count: u64,
}

impl Cluster {
    pub(crate) fn new(line: &[&str], leaf: NodeId, tick: u64) -> Self {
        Self {
            state: State::Live {
                tokens: line.iter().map(|t| Token::from_line(t)).collect(),
                leaf,
                last_used: tick,
            },
            count: 1,
        }
    }

    pub(crate) fn tokens(&self) -> Option<&[Token]> {
        match &self.state {
            State::Live { tokens, .. } => Some(tokens),
            State::Evicted { .. } => None,
        }
    }

    pub(crate) fn leaf(&self) -> Option<NodeId> {
        match self.state {
            State::Live { leaf, .. } => Some(leaf),
            State::Evicted { .. } => None,
        }
    }

    pub(crate) fn last_used(&self) -> u64 {
        match self.state {
            State::Live { last_used, .. } => last_used,
            State::Evicted { .. } => 0,
        }
    }

    /// Merges a line that matched: count it, mark it used, generalise the template.
    pub(crate) fn absorb(&mut self, line: &[&str], tick: u64) {
        self.count = self.count.saturating_add(1);
        if let State::Live {
            tokens, last_used, ..
        } = &mut self.state
        {
            *last_used = tick;
            for (token, seen) in tokens.iter_mut().zip(line) {
                if let Token::Literal(text) = token {
                    if **text != **seen {
                        *token = Token::Wildcard;
                    }
                }
            }
        }
    }

    /// Freezes the cluster's template; it leaves the tree's searchable set.
    pub(crate) fn evict(&mut self) {
        if let State::Live { .. } = self.state {
            let template = self.template().into_boxed_str();
            self.state = State::Evicted { template };
        }
    }

    pub(crate) fn is_live(&self) -> bool {
        matches!(self.state, State::Live { .. })
    }

    /// The template as text: tokens joined by single spaces.
    pub(crate) fn template(&self) -> String {
        match &self.state {
            State::Live { tokens, .. } => {
                let len = tokens.iter().map(|t| t.text().len() + 1).sum();
                let mut text = String::with_capacity(len);
                for (n, token) in tokens.iter().enumerate() {
                    if n > 0 {
                        text.push(' ');
                    }
                    text.push_str(token.text());
                }
                text
            }
            State::Evicted { template } => template.to_string(),
        }
    }

    /// The stable id: `p` and 12 hex digits of a hash of [`Self::template`].
    pub(crate) fn id(&self) -> String {
        let mut hasher = StableHasher::new();
        match &self.state {
            State::Live { tokens, .. } => {
                for (n, token) in tokens.iter().enumerate() {
                    if n > 0 {
                        hasher.write(b" ");
                    }
                    hasher.write(token.text().as_bytes());
                }
            }
            State::Evicted { template } => hasher.write(template.as_bytes()),
        }
        format!("p{:012x}", hasher.finish() >> 16)
    }
}

/// *simSeq* of the paper, as counts; see the module documentation.
pub(crate) fn fit(template: &[Token], line: &[&str]) -> Fit {
    let mut fit = Fit {
        equal: 0,
        neutral: 0,
        wildcards: 0,
        len: line.len(),
    };
    for (token, seen) in template.iter().zip(line) {
        match token {
            Token::Wildcard => {
                fit.wildcards += 1;
                if *seen == WILDCARD {
                    fit.neutral += 1;
                }
            }
            Token::Literal(text) => {
                if **text == **seen {
                    fit.equal += 1;
                }
            }
        }
    }
    fit
}

/// Whether every literal of `template` equals the line's token (wildcards match all).
pub(crate) fn covers(template: &[Token], line: &[&str]) -> bool {
    template.len() == line.len()
        && template.iter().zip(line).all(|(token, seen)| match token {
            Token::Wildcard => true,
            Token::Literal(text) => **text == **seen,
        })
}

#[cfg(test)]
mod tests {
    use super::{fit, Cluster, Token};

    #[test]
    fn absorbing_generalises_and_ids_follow_the_template() {
        let mut cluster = Cluster::new(&["Failed", "password", "for", "root"], 0, 1);
        let before = cluster.id();
        cluster.absorb(&["Failed", "password", "for", "admin"], 2);
        assert_eq!(cluster.template(), "Failed password for <*>");
        assert_ne!(cluster.id(), before);
        let live_id = cluster.id();
        cluster.evict();
        assert_eq!(cluster.template(), "Failed password for <*>");
        assert_eq!(cluster.id(), live_id);
        assert_eq!(cluster.count, 2);
    }

    #[test]
    fn masked_wildcards_are_neutral() {
        let template = [Token::Literal("port".into()), Token::Wildcard];
        let masked = fit(&template, &["port", "<*>"]);
        assert_eq!((masked.equal, masked.neutral), (1, 1));
        assert_eq!(masked.similarity(), 1.0);
        let unmasked = fit(&template, &["port", "x"]);
        assert_eq!((unmasked.equal, unmasked.neutral), (1, 0));
        assert_eq!(unmasked.similarity(), 0.5);
        let other = fit(&template, &["host", "<*>"]);
        assert_eq!(other.similarity(), 0.0);
        // Nothing but masked values facing wildcards: a full match.
        let all = fit(&[Token::Wildcard, Token::Wildcard], &["<*>", "<*>"]);
        assert_eq!(all.similarity(), 1.0);
        assert!(masked.better_than(&unmasked));
        assert!(all.better_than(&unmasked));
        assert!(!unmasked.better_than(&masked));
    }
}
