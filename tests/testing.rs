//! The attribute, the layer and the examples, from each engine's point of view.
