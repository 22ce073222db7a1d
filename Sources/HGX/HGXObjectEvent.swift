/// What happened to an object upstream, as delivered by ``HGXObject/updates``.
public enum HGXObjectEvent<State: Sendable>: Sendable {
    /// Someone else pushed a new state (our own pushes are not echoed).
    case updated(State)
    /// The object was deleted elsewhere; it is now dead and no further events follow.
    case deleted
}

extension HGXObjectEvent: Equatable where State: Equatable {}
