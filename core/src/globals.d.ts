// Present in every runtime the core runs on (Node ≥ 17, browsers); not in the ES library typings.
declare function structuredClone<T>(value: T): T;
