using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AdaptLab.Engine.ChatTemplates;
using AdaptLab.Engine.Generation;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine;

/// <summary>
/// A local model behind <see cref="IChatClient"/>. With a chat template the prompt is the template's rendering
/// of the messages, ending with the assistant's turn opened; a base model has none, so the prompt is the
/// messages' text concatenated (after BOS) and the reply is its plain continuation. ChatOptions' Temperature,
/// TopP, TopK, Seed, MaxOutputTokens and StopSequences are honoured, and a JSON ResponseFormat constrains
/// decoding so the reply parses (and validates against the schema, when one is given). Usage counts the
/// prompt tokens (BOS included) and every sampled token (an end-of-sequence token included).
/// </summary>
public sealed class LocalChatClient : IChatClient
{
    private static readonly JsonElement AnyObject = JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone();

    private readonly TextGenerator generator;
    private readonly ChatClientMetadata metadata;

    internal LocalChatClient(TextGenerator generator, string modelId, ChatTemplate? template = null)
    {
        this.generator = generator;
        ChatTemplate = template;
        metadata = new ChatClientMetadata("adaptlab-local", defaultModelId: modelId);
    }

    public TextGenerator Generator => generator;

    /// <summary>The template prompts are rendered with; null for a base model (plain completion).</summary>
    public ChatTemplate? ChatTemplate { get; }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        return ToolCallDecoding.Offered(options).Count > 0 ? ToolCallDecoding.ToCalls(response) : response;
    }

    /// <summary>
    /// Completes several conversations with the same options as one batch: one forward pass per step for all of
    /// them. Greedy replies equal those of single calls; sampled ones depend on the batch they ran in.
    /// </summary>
    /// <exception cref="ContextLengthExceededException">A conversation does not fit the model's context.</exception>
    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(
        IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetResponsesAsync([.. conversations.Select(c => Prepare(c, options))], options, cancellationToken);

    /// <summary>
    /// Tokenises a conversation and checks it and the options against the model (context length, the JSON
    /// schema's support), so that a request the model would refuse is refused before it waits for the model.
    /// </summary>
    /// <exception cref="ContextLengthExceededException">The prompt does not fit the model's context.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or the response format's schema is not supported
    /// (its <see cref="ArgumentException.ParamName"/> is then <c>response_format</c>).</exception>
    public IReadOnlyList<int> Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var generation = ToGenerationOptions(options);
        generation.Validate();
        if (generation.JsonSchema is { } schema)
        {
            try
            {
                generator.PrepareSchema(schema);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(e.Message, "response_format", e);
            }
        }

        var prompt = Encode(messages, ToolCallDecoding.Offered(options));
        var context = generator.Model.Config.MaxSeqLen;
        return prompt.Count <= context ? prompt : throw new ContextLengthExceededException(prompt.Count, context);
    }

    /// <summary>Completes prompts that <see cref="Prepare"/> returned, as one batch.</summary>
    internal async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(
        IReadOnlyList<IReadOnlyList<int>> prompts, ChatOptions? options, CancellationToken cancellationToken)
    {
        var rows = prompts.Select(_ => (Text: new StringBuilder(), Tokens: 0, Reason: FinishReason.Length)).ToArray();
        await Task.Run(
            () =>
            {
                foreach (var (row, chunk) in generator.CompleteBatch(prompts, ToGenerationOptions(options), cancellationToken))
                {
                    rows[row].Text.Append(chunk.Text);
                    rows[row].Tokens += chunk.TokenId is null ? 0 : 1;
                    rows[row].Reason = chunk.FinishReason ?? rows[row].Reason;
                }
            },
            cancellationToken);
        var responseId = Guid.NewGuid().ToString("N");
        var withTools = ToolCallDecoding.Offered(options).Count > 0;
        return rows.Select((r, i) => new[] { Final(r.Text.ToString(), r.Reason, prompts[i].Count, r.Tokens, $"{responseId}-{i}") }.ToChatResponse())
            .Select(response => withTools ? ToolCallDecoding.ToCalls(response) : response)
            .ToList();
    }

    /// <exception cref="ContextLengthExceededException">The prompt does not fit the model's context.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = Prepare(messages, options);
        await foreach (var update in GetStreamingResponseAsync(prompt, options, cancellationToken))
        {
            yield return update;
        }
    }

    /// <summary>Streams the completion of a prompt that <see cref="Prepare"/> returned.</summary>
    internal async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IReadOnlyList<int> prompt, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = generator.Complete(prompt, ToGenerationOptions(options), cancellationToken);
        var responseId = Guid.NewGuid().ToString("N");
        var outputTokens = 0;
        // Each step is synchronous native work; running it on the thread pool keeps callers' threads free.
        using var steps = chunks.GetEnumerator();
        while (await Task.Run(steps.MoveNext, cancellationToken))
        {
            var chunk = steps.Current;
            outputTokens += chunk.TokenId is null ? 0 : 1;
            if (chunk.FinishReason is { } reason)
            {
                yield return Final(chunk.Text, reason, prompt.Count, outputTokens, responseId);
            }
            else if (chunk.Text.Length > 0)
            {
                yield return Update(new ChatResponseUpdate(ChatRole.Assistant, chunk.Text), responseId);
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => generator.Model.Dispose();

    /// <summary>Positions the model attends over: the prompt and the reply together must fit.</summary>
    public int ContextLength => generator.Model.Config.MaxSeqLen;

    /// <summary>The prompt's length in tokens as the model sees it, chat template and beginning-of-sequence token included.</summary>
    public int CountPromptTokens(IEnumerable<ChatMessage> messages) => Encode(messages, []).Count;

    /// <summary>
    /// A training row: the prompt encoded exactly as a request would be, then the answer and its end; the answer starts
    /// at <c>AnswerStart</c>. A base model continues the prompt's text, so its answer is encoded together with it (a space
    /// between, as the model would write one), starts where the two encodings part and ends with end-of-sequence. A chat
    /// model's row is the conversation with the reply as its template renders it (as TRL's SFT renders one), so the
    /// reply ends with the template's own end of turn.
    /// </summary>
    /// <exception cref="NotSupportedException">A base model's tokenizer names no end-of-sequence token.</exception>
    internal (List<int> Tokens, int AnswerStart) EncodeForTraining(IReadOnlyList<ChatMessage> messages, string answer)
    {
        var prompt = Encode(messages, []);
        List<int> tokens;
        if (ChatTemplate is null)
        {
            var text = PromptText(messages);
            var joined = text.Length > 0 && !char.IsWhiteSpace(text[^1]) && answer.Length > 0 && char.IsLetterOrDigit(answer[0]) ? text + " " + answer : text + answer;
            tokens = generator.Tokenizer.Encode(joined, addBos: true);
            tokens.Add(generator.Tokenizer switch
            {
                LlamaC.LlamaCTokenizer => LlamaC.LlamaCTokenizer.EosId,
                HuggingFace.HfTokenizer { EosId: { } eos } => eos,
                _ => throw new NotSupportedException("the model's tokenizer names no end-of-sequence token (tokenizer_config.json's eos_token) to end training answers with"),
            });
        }
        else
        {
            var conversation = ChatTemplate.Render([.. messages, new ChatMessage(ChatRole.Assistant, answer)], addGenerationPrompt: false);
            tokens = ChatPromptEncoder.Encode(generator.Tokenizer, conversation, ChatTemplate);
        }

        var start = 0;
        while (start < prompt.Count && start < tokens.Count && prompt[start] == tokens[start])
        {
            start++;
        }

        return (tokens, start);
    }

    /// <remarks>A base model (no chat template) is shown no tool descriptions: decoding still admits only the offered calls.</remarks>
    private List<int> Encode(IEnumerable<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools) => ChatTemplate is null
        ? generator.Tokenizer.Encode(PromptText(messages), addBos: true)
        : ChatPromptEncoder.Encode(generator.Tokenizer, ChatTemplate.Render(messages, addGenerationPrompt: true, tools.Count > 0 ? tools : null), ChatTemplate);

    /// <summary>Base models continue text, so the messages' text, in order, is the prompt.</summary>
    private static string PromptText(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(message.Text);
        }

        return text.ToString();
    }

    private static GenerationOptions ToGenerationOptions(ChatOptions? options) => new()
    {
        MaxTokens = options?.MaxOutputTokens,
        Temperature = options?.Temperature ?? 1.0f,
        TopP = options?.TopP,
        TopK = options?.TopK,
        Seed = options?.Seed,
        StopSequences = options?.StopSequences?.ToList() ?? [],
        JsonSchema = options?.ResponseFormat is ChatResponseFormatJson json ? json.Schema ?? AnyObject
            : ToolCallDecoding.Offered(options) is { Count: > 0 } tools ? ToolCallDecoding.Schema(tools, options!.ToolMode)
            : null,
    };

    private ChatResponseUpdate Final(string text, FinishReason reason, int inputTokens, int outputTokens, string responseId)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, text)
        {
            FinishReason = reason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop,
        };
        update.Contents.Add(new UsageContent(new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        }));
        return Update(update, responseId);
    }

    private ChatResponseUpdate Update(ChatResponseUpdate update, string responseId)
    {
        update.ResponseId = responseId;
        update.MessageId = responseId;
        update.ModelId = metadata.DefaultModelId;
        return update;
    }
}
