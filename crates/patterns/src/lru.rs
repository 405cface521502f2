//! Least-recently-used order of the live clusters, as an intrusive doubly linked list
//! over cluster indices: O(1) to mark a cluster used, to find the stalest one and to
//! unlink one. drain3 bounds its clusters the same way (an LRU cache of clusters).

const NIL: usize = usize::MAX;

#[derive(Default)]
pub(crate) struct Lru {
    prev: Vec<usize>,
    next: Vec<usize>,
    /// Most recently used.
    head: Option<usize>,
    /// Least recently used.
    tail: Option<usize>,
}

impl Lru {
    fn ensure(&mut self, index: usize) {
        if self.prev.len() <= index {
            self.prev.resize(index + 1, NIL);
            self.next.resize(index + 1, NIL);
        }
    }

    /// Adds a cluster (not in the list) as the most recently used.
    pub(crate) fn push_front(&mut self, index: usize) {
        self.ensure(index);
        self.prev[index] = NIL;
        self.next[index] = self.head.unwrap_or(NIL);
        match self.head {
            Some(head) => self.prev[head] = index,
            None => self.tail = Some(index),
        }
        self.head = Some(index);
    }

    /// Removes a cluster from the list.
    pub(crate) fn unlink(&mut self, index: usize) {
        if index >= self.prev.len() {
            return;
        }
        let (prev, next) = (self.prev[index], self.next[index]);
        if prev == NIL {
            if self.head != Some(index) {
                return; // not in the list
            }
            self.head = (next != NIL).then_some(next);
        } else {
            self.next[prev] = next;
        }
        if next == NIL {
            self.tail = (prev != NIL).then_some(prev);
        } else {
            self.prev[next] = prev;
        }
        self.prev[index] = NIL;
        self.next[index] = NIL;
    }

    /// Marks a listed cluster as the most recently used.
    pub(crate) fn touch(&mut self, index: usize) {
        if self.head != Some(index) {
            self.unlink(index);
            self.push_front(index);
        }
    }

    /// The least recently used cluster.
    pub(crate) fn oldest(&self) -> Option<usize> {
        self.tail
    }
}

#[cfg(test)]
mod tests {
    use super::Lru;

    #[test]
    fn evicts_in_least_recent_order() {
        let mut lru = Lru::default();
        for index in 0..4 {
            lru.push_front(index);
        }
        lru.touch(0);
        assert_eq!(lru.oldest(), Some(1));
        lru.unlink(1);
        assert_eq!(lru.oldest(), Some(2));
        lru.unlink(2);
        lru.unlink(3);
        assert_eq!(lru.oldest(), Some(0));
        lru.unlink(0);
        assert_eq!(lru.oldest(), None);
        lru.unlink(0);
        assert_eq!(lru.oldest(), None);
    }
}
