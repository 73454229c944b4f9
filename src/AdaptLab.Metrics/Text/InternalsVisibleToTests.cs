using System.Runtime.CompilerServices;

// The reference test vectors check internals too (LCS tables, the stemmer, tokenizers).
[assembly: InternalsVisibleTo("AdaptLab.Metrics.Tests")]
