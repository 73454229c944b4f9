using AdaptLab.Engine.Llama;

namespace AdaptLab.Engine.Bench;

internal sealed partial record ModelCost
{
    /// <summary>
    /// Multiply-adds count two flops: the projections per token, attention over the positions so far (scores
    /// and weighted values, at the average context of the timed tokens), and the classifier, which prefill
    /// runs for the last position only.
    /// </summary>
    public static ModelCost Of(LlamaConfig c, Workload work)
    {
        double perLayer = ((double)c.Dim * (c.QueryDim + (2 * c.KvDim))) + ((double)c.QueryDim * c.Dim) + (3.0 * c.Dim * c.HiddenDim);
        var projections = 2 * c.Layers * perLayer;
        var classifier = 2.0 * c.VocabSize * c.Dim;
        double Attention(double context) => 4.0 * c.Layers * c.QueryDim * context;
        return new ModelCost(
            PrefillFlopsPerToken: projections + Attention((work.Prefill + 1) / 2.0) + (classifier / work.Prefill),
            DecodeFlopsPerToken: projections + Attention(work.DecodePrompt + (work.DecodeSteps / 2.0)) + classifier,
            WeightBytes: sizeof(float) * ((c.Layers * perLayer) + ((double)c.VocabSize * c.Dim * (c.SharedClassifier ? 1 : 2))));
    }
}
