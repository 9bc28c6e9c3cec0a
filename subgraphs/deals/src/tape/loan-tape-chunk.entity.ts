import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A piece (up to 1 MiB) of an uploaded tape file, sealed with the tape's data key as it arrives,
 * so the file never rests in plaintext; the ingest job reads the pieces in order and deletes them
 * once the tape is VALIDATED or REJECTED.
 */
@Entity({ tableName: 'loan_tape_chunk' })
export class LoanTapeChunk {
  @PrimaryKey({ type: 'uuid' })
  tapeId!: string;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'blob' })
  data!: Buffer;
}
