export interface ConsumerGeneratorSchema {
  name: string;
}
