using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>Makes the <see cref="IChatClient"/> for models of one provider (the part before the colon).</summary>
internal interface IModelProvider
{
    string Name { get; }

    /// <exception cref="InvalidOperationException">The model cannot be opened (missing key, missing files); the message says why.</exception>
    IChatClient Create(ModelSpec spec, ModelReference reference);
}
