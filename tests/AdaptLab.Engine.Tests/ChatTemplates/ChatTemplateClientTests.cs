using AdaptLab.Engine.LlamaC;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.ChatTemplates;

public class ChatTemplateClientTests
{
    [Fact]
    public async Task A_named_family_template_renders_the_prompt_with_its_special_tokens_as_ids()
    {
        using var client = LocalModel.Open(Stories260K.Directory, new LocalModelOptions(Threads: 1, ChatTemplate: "llama2"));
        ChatMessage[] messages = [new(ChatRole.System, "Be kind."), new(ChatRole.User, "Tell a story.")];

        var response = await client.GetResponseAsync(messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 5 });

        var rendered = client.ChatTemplate!.Render(messages);
        Assert.StartsWith("<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nTell a story. [/INST]", rendered, StringComparison.Ordinal);
        var expected = 1 + client.Generator.Tokenizer.Encode(rendered["<s>".Length..], addBos: false).Count;
        Assert.Equal(expected, response.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task A_checkpoints_tokenizer_config_template_is_used_and_none_keeps_plain_completion()
    {
        var directory = Directory.CreateTempSubdirectory("adaptlab-template-").FullName;
        try
        {
            foreach (var file in new[] { Stories260K.Checkpoint, Stories260K.TokenizerPath })
            {
                File.CreateSymbolicLink(Path.Combine(directory, Path.GetFileName(file)), file);
            }

            const string Template = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";
            File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"),
                System.Text.Json.JsonSerializer.Serialize(new { chat_template = Template, bos_token = "<s>", eos_token = "</s>" }));

            using var templated = LocalModel.Open(directory, new LocalModelOptions(Threads: 1));
            using var plain = LocalModel.Open(directory, new LocalModelOptions(Threads: 1, ChatTemplate: "none"));
            var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 3 };
            var templatedResponse = await templated.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);
            var plainResponse = await plain.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);

            Assert.Equal(Template, templated.ChatTemplate?.Source);
            Assert.Null(plain.ChatTemplate);
            Assert.Equal(templated.Generator.Tokenizer.Encode("user: Hi\nassistant:", addBos: false).Count, templatedResponse.Usage?.InputTokenCount);
            Assert.Equal(templated.Generator.Tokenizer.Encode("Hi", addBos: true).Count, plainResponse.Usage?.InputTokenCount);
            Assert.Throws<ArgumentException>(() => LocalModel.Open(directory, new LocalModelOptions(ChatTemplate: "vicuna")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Special_token_text_becomes_the_tokenizers_ids()
    {
        var tokenizer = Stories260K.Tokenizer();
        var template = AdaptLab.Engine.ChatTemplates.ChatTemplate.BuiltIn("llama2");

        var ids = AdaptLab.Engine.ChatTemplates.ChatPromptEncoder.Encode(tokenizer, "<s>[INST] a [/INST] b </s><s>[INST] c [/INST]", template);

        Assert.Equal(LlamaCTokenizer.BosId, ids[0]);
        Assert.Equal(2, ids.Count(id => id == LlamaCTokenizer.BosId));
        Assert.Single(ids, id => id == LlamaCTokenizer.EosId);
    }
}
