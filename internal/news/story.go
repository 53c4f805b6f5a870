package news

// StoryStore keeps running stories: stories, their entries and the
// versions of their summaries.
type StoryStore interface{}
