//! The feedback loop of one event: effects are carried out, and an effect that produces an
//! input (a saved session, a new invitation) feeds it back to the engine, whose new effects
//! are carried out in turn, until a round asks for nothing more.
//!
//! The loop is generic over the state, effects and inputs so that it can be tested without
//! a store or a catalog: its one promise is that no effect the engine returns is dropped.
//! Should the engine ever ask for follow-ups without end, the loop stops at a bound and
//! returns an error, which aborts the event's transaction, rather than storing a state
//! whose replies were silently left out.

/// How many follow-up rounds one event may take. Today's inputs need at most two (a saved
/// session's totals, an invitation's link); the bound only catches a loop.
pub const MAX_FOLLOW_UPS: usize = 8;

/// Carries out `effects` with `apply`, feeds each round's follow-up input back through
/// `step`, and returns the final state once a round produces no follow-up. When more than
/// `max_rounds` follow-ups are asked for, returns `too_many(max_rounds)` instead.
///
/// `ctx` is what both callbacks need mutably (the transaction), passed to each in turn.
pub fn follow_through<C, S, E, I, Er>(
    ctx: &mut C,
    mut state: S,
    mut effects: Vec<E>,
    max_rounds: usize,
    mut apply: impl FnMut(&mut C, &S, E) -> Result<Option<I>, Er>,
    mut step: impl FnMut(&mut C, S, I) -> Result<(S, Vec<E>), Er>,
    too_many: impl FnOnce(usize) -> Er,
) -> Result<S, Er> {
    let mut rounds = 0;
    loop {
        let mut follow_up = None;
        for effect in effects.drain(..) {
            if let Some(input) = apply(ctx, &state, effect)? {
                follow_up = Some(input);
            }
        }
        let Some(input) = follow_up else {
            return Ok(state);
        };
        if rounds == max_rounds {
            return Err(too_many(max_rounds));
        }
        rounds += 1;
        (state, effects) = step(ctx, state, input)?;
    }
}

#[cfg(test)]
mod tests {
    use super::follow_through;

    /// A fake engine: input `n` answers with a reply and, while `n > 0`, an effect that
    /// feeds `n - 1` back. The state counts the steps taken.
    #[derive(Debug, PartialEq)]
    enum Fx {
        Reply(u32),
        FeedBack(u32),
    }

    fn run(first: u32, max_rounds: usize) -> (Result<u32, String>, Vec<u32>) {
        let mut applied = Vec::new();
        let result = follow_through(
            &mut applied,
            0u32,
            vec![Fx::Reply(first), Fx::FeedBack(first)],
            max_rounds,
            |applied: &mut Vec<u32>, _state: &u32, effect| match effect {
                Fx::Reply(n) => {
                    applied.push(n);
                    Ok(None)
                }
                Fx::FeedBack(0) => Ok(None),
                Fx::FeedBack(n) => Ok(Some(n - 1)),
            },
            |_: &mut Vec<u32>, steps: u32, input: u32| {
                Ok((steps + 1, vec![Fx::Reply(input), Fx::FeedBack(input)]))
            },
            |bound| format!("more than {bound} follow-ups"),
        );
        (result, applied)
    }

    #[test]
    fn a_third_follow_up_rounds_effects_are_not_dropped() {
        // Regression (issue 16): the loop ran two rounds, so the replies of a third
        // follow-up step were lost without a word.
        let (result, applied) = run(3, 8);
        assert_eq!(result, Ok(3), "three follow-up steps taken");
        assert_eq!(applied, vec![3, 2, 1, 0], "every round's reply carried out");
    }

    #[test]
    fn follow_ups_beyond_the_bound_are_an_error_not_a_silent_drop() {
        let (result, applied) = run(5, 2);
        assert_eq!(result, Err("more than 2 follow-ups".to_owned()));
        assert_eq!(applied, vec![5, 4, 3]);
    }

    #[test]
    fn no_follow_up_takes_no_step() {
        let (result, applied) = run(0, 0);
        assert_eq!(result, Ok(0));
        assert_eq!(applied, vec![0]);
    }
}
