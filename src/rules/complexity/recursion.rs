//! Which functions of a call graph take part in a recursion cycle, as gocognit (v1.3.0) decides
//! it: a function calling itself, or a member of a strongly connected component of more than one
//! function. A function that only calls into a cycle is not recursive.
//!
//! The graph is given as adjacency lists over node indices. Tarjan's algorithm runs with an
//! explicit stack, so a long chain of calls cannot overflow the thread's stack.

/// One level of the depth-first walk: a node and the next of its edges to follow.
struct Visit {
    node: usize,
    next_edge: usize,
}

/// Tarjan's bookkeeping for every node.
struct Tarjan<'g> {
    adjacency: &'g [Vec<usize>],
    /// Discovery order of each node; `None` until visited.
    index: Vec<Option<usize>>,
    lowlink: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    discovered: usize,
    recursive: Vec<bool>,
}

/// For each node of `adjacency`, whether it lies on a cycle: an edge to itself, or a strongly
/// connected component with at least two nodes. Edges to indices outside the graph are ignored.
pub fn on_a_cycle(adjacency: &[Vec<usize>]) -> Vec<bool> {
    let n = adjacency.len();
    let mut t = Tarjan {
        adjacency,
        index: vec![None; n],
        lowlink: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        discovered: 0,
        recursive: vec![false; n],
    };
    for root in 0..n {
        if t.index[root].is_none() {
            t.walk_from(root);
        }
    }
    for (node, edges) in adjacency.iter().enumerate() {
        if edges.contains(&node) {
            t.recursive[node] = true;
        }
    }
    t.recursive
}

impl Tarjan<'_> {
    fn discover(&mut self, node: usize) {
        self.index[node] = Some(self.discovered);
        self.lowlink[node] = self.discovered;
        self.discovered += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
    }

    /// The depth-first walk from an unvisited root, marking every component it closes.
    fn walk_from(&mut self, root: usize) {
        self.discover(root);
        let mut work = vec![Visit {
            node: root,
            next_edge: 0,
        }];
        while let Some(top) = work.last_mut() {
            let v = top.node;
            if let Some(&w) = self.adjacency[v].get(top.next_edge) {
                top.next_edge += 1;
                if w >= self.adjacency.len() {
                    continue;
                }
                match self.index[w] {
                    None => {
                        self.discover(w);
                        work.push(Visit {
                            node: w,
                            next_edge: 0,
                        });
                    }
                    Some(iw) if self.on_stack[w] => self.lowlink[v] = self.lowlink[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            if Some(self.lowlink[v]) == self.index[v] {
                self.close_component(v);
            }
            work.pop();
            if let Some(parent) = work.last() {
                self.lowlink[parent.node] = self.lowlink[parent.node].min(self.lowlink[v]);
            }
        }
    }

    /// Pops the component whose root is `v`; marks its members when it has more than one.
    fn close_component(&mut self, v: usize) {
        let mut members = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            members.push(w);
            if w == v {
                break;
            }
        }
        if members.len() > 1 {
            for w in members {
                self.recursive[w] = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::on_a_cycle;

    #[test]
    fn self_calls_and_cycles_are_recursive_callers_into_them_are_not() {
        // 0 calls itself; 1 -> 2 -> 3 -> 1 is a cycle; 4 calls into it; 5 calls 0; 6 is alone.
        let graph = vec![vec![0], vec![2], vec![3], vec![1], vec![1], vec![0], vec![]];
        assert_eq!(
            on_a_cycle(&graph),
            [true, true, true, true, false, false, false]
        );
    }

    #[test]
    fn two_cycles_joined_by_one_edge_stay_two_components() {
        // 0 <-> 1, 1 -> 2, 2 <-> 3: all four recursive; 4 -> 0 is not.
        let graph = vec![vec![1], vec![0, 2], vec![3], vec![2], vec![0]];
        assert_eq!(on_a_cycle(&graph), [true, true, true, true, false]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_a_small_stack() {
        let n = 200_000;
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let mut graph: Vec<Vec<usize>> = (1..=n).map(|next| vec![next]).collect();
                graph[n - 1] = vec![0]; // closes one cycle through every node
                let all = on_a_cycle(&graph);
                graph[n - 1] = vec![]; // now a chain: no node recursive
                let none = on_a_cycle(&graph);
                (all.iter().all(|&r| r), none.iter().any(|&r| r))
            })
            .expect("spawns");
        assert_eq!(handle.join().expect("no overflow"), (true, false));
    }
}
